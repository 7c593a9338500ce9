import { ApiServerLabels, ApiServerLabelValues, Labels, LabelValues } from '../../api/constants.ts';
import { goQuantityString } from '../../api/go-quantity.ts';
import { BuildError, buildRayClusterSpec } from './cluster-build.ts';
import { clusterSpecToApi, eventToApi, type KubeEvent } from './cluster-convert.ts';
import type { ApiComputeTemplate } from './compute-template.ts';
import { timestamp, unixSeconds } from './proto-json.ts';

/** RayJob and RayService messages <-> CRs, as KubeRay's server (apiserver/pkg/util/job.go, service.go, model/converter.go). */
type Obj = Record<string, unknown>;
type Msg = Readonly<Record<string, unknown>>;
// biome-ignore lint/suspicious/noExplicitAny: walking untyped Kubernetes JSON
type Any = Record<string, any>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+|E[+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;

/** A submitter quantity in Go's canonical form (`0.5` -> `500m`), or KubeRay's error for a malformed one. */
function submitterQuantity(what: 'cpu' | 'memory', q: string): string {
  const problem = () =>
    new BuildError(
      `${what} for ray job submitter ${q} is not specified correctly: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  if (!QUANTITY.test(q)) throw problem();
  try {
    return goQuantityString(q);
  } catch {
    throw problem();
  }
}

export function buildRayJob(j: Msg, templates: ReadonlyMap<string, ApiComputeTemplate>): Obj {
  const metadata = j.metadata as Record<string, string> | undefined;
  const spec: Obj = {
    entrypoint: str(j.entrypoint),
    ...(metadata && Object.keys(metadata).length ? { metadata } : {}),
    ...(str(j.runtimeEnv) ? { runtimeEnvYAML: str(j.runtimeEnv) } : {}),
    ...(j.shutdownAfterJobFinishes === true ? { shutdownAfterJobFinishes: true } : {}),
    ...(num(j.ttlSecondsAfterFinished) ? { ttlSecondsAfterFinished: num(j.ttlSecondsAfterFinished) } : {}),
    ...(str(j.jobId) ? { jobId: str(j.jobId) } : {}),
  };
  const selector = j.clusterSelector as Record<string, string> | undefined;
  if (selector && Object.keys(selector).length) spec.clusterSelector = selector;
  if (j.clusterSpec)
    spec.rayClusterSpec = buildRayClusterSpec(
      str(j.version),
      undefined,
      j.clusterSpec as Msg,
      templates,
      false,
    );
  const submitter = j.jobSubmitter as Msg | undefined;
  if (submitter) {
    const cpu = submitterQuantity('cpu', str(submitter.cpu) || '1');
    const memory = submitterQuantity('memory', str(submitter.memory) || '1Gi');
    spec.submitterPodTemplate = {
      spec: {
        containers: [
          {
            name: 'ray-job-submitter',
            image: str(submitter.image),
            resources: { limits: { cpu, memory }, requests: { cpu, memory } },
          },
        ],
        restartPolicy: 'Never',
      },
    };
  }
  if (num(j.entrypointNumCpus) > 0) spec.entrypointNumCpus = num(j.entrypointNumCpus);
  if (num(j.entrypointNumGpus) > 0) spec.entrypointNumGpus = num(j.entrypointNumGpus);
  if (str(j.entrypointResources)) spec.entrypointResources = str(j.entrypointResources);
  if (num(j.activeDeadlineSeconds) > 0) spec.activeDeadlineSeconds = num(j.activeDeadlineSeconds);
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: {
      name: str(j.name),
      namespace: str(j.namespace),
      labels: {
        [ApiServerLabels.clusterName]: str(j.name),
        [ApiServerLabels.user]: str(j.user),
        [Labels.appName]: LabelValues.appName,
        [ApiServerLabels.managedBy]: ApiServerLabelValues.managedBy,
      },
      ...(metadata && Object.keys(metadata).length ? { annotations: metadata } : {}),
    },
    spec,
  };
}

export function rayJobToApi(job: Any): Obj {
  const s = job.spec ?? {};
  const st = job.status ?? {};
  const out: Obj = {
    name: job.metadata?.name ?? '',
    namespace: job.metadata?.namespace ?? '',
    user: job.metadata?.labels?.[ApiServerLabels.user] ?? '',
    entrypoint: s.entrypoint ?? '',
    metadata: s.metadata ?? {},
    runtimeEnv: s.runtimeEnvYAML ?? '',
    jobId: st.jobId ?? '',
    shutdownAfterJobFinishes: s.shutdownAfterJobFinishes === true,
    createdAt: timestamp(unixSeconds(job.metadata?.creationTimestamp)),
    jobStatus: st.jobStatus ?? '',
    jobDeploymentStatus: st.jobDeploymentStatus ?? '',
    message: st.message ?? '',
    clusterSelector: s.clusterSelector ?? {},
    ttlSecondsAfterFinished: s.ttlSecondsAfterFinished ?? 0,
  };
  if (s.rayClusterSpec) out.clusterSpec = clusterSpecToApi(s.rayClusterSpec);
  if (job.metadata?.deletionTimestamp) out.deleteAt = timestamp(unixSeconds(job.metadata.deletionTimestamp));
  const c = s.submitterPodTemplate?.spec?.containers?.[0];
  if (c) {
    const limits = c.resources?.limits ?? {};
    out.jobSubmitter = {
      image: c.image ?? '',
      ...(limits.cpu !== undefined && limits.cpu !== '1' ? { cpu: limits.cpu } : {}),
      ...(limits.memory !== undefined && limits.memory !== '1Gi' ? { memory: limits.memory } : {}),
    };
  }
  if (num(s.entrypointNumCpus) > 0) out.entrypointNumCpus = s.entrypointNumCpus;
  if (num(s.entrypointNumGpus) > 0) out.entrypointNumGpus = s.entrypointNumGpus;
  if (s.entrypointResources) out.entrypointResources = s.entrypointResources;
  if (num(s.activeDeadlineSeconds) > 0) out.activeDeadlineSeconds = s.activeDeadlineSeconds;
  if (st.startTime) out.startTime = timestamp(unixSeconds(st.startTime));
  if (st.endTime) out.endTime = timestamp(unixSeconds(st.endTime));
  if (st.rayClusterName) out.rayClusterName = st.rayClusterName;
  return out;
}

export function buildRayService(
  sv: Msg,
  templates: ReadonlyMap<string, ApiComputeTemplate>,
  annotations: Record<string, string>,
): Obj {
  if (!str(sv.serveConfigV2)) throw new BuildError('serve configuration is not defined');
  const spec: Obj = {
    serveConfigV2: str(sv.serveConfigV2),
    rayClusterConfig: buildRayClusterSpec(str(sv.version), undefined, sv.clusterSpec as Msg, templates, true),
  };
  if (num(sv.serviceUnhealthySecondThreshold) > 0)
    spec.serviceUnhealthySecondThreshold = num(sv.serviceUnhealthySecondThreshold);
  if (num(sv.deploymentUnhealthySecondThreshold) > 0)
    spec.deploymentUnhealthySecondThreshold = num(sv.deploymentUnhealthySecondThreshold);
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: {
      name: str(sv.name),
      namespace: str(sv.namespace),
      labels: {
        [ApiServerLabels.user]: str(sv.user),
        [Labels.appName]: LabelValues.appName,
        [ApiServerLabels.managedBy]: ApiServerLabelValues.managedBy,
      },
      annotations,
    },
    spec,
  };
}

export function rayServiceToApi(sv: Any, events: readonly KubeEvent[]): Obj {
  const s = sv.spec ?? {};
  const active = sv.status?.activeServiceStatus ?? {};
  const name = sv.metadata?.name ?? '';
  return {
    name,
    namespace: sv.metadata?.namespace ?? '',
    user: sv.metadata?.labels?.[ApiServerLabels.user] ?? '',
    serveConfigV2: s.serveConfigV2 ?? '',
    clusterSpec: clusterSpecToApi(s.rayClusterConfig ?? {}),
    serviceUnhealthySecondThreshold: s.serviceUnhealthySecondThreshold ?? 0,
    deploymentUnhealthySecondThreshold: s.deploymentUnhealthySecondThreshold ?? 0,
    rayServiceStatus: {
      rayServiceEvents: events.map((e) => eventToApi(name, e)),
      rayClusterName: active.rayClusterName ?? '',
      rayClusterState: active.rayClusterStatus?.state ?? '',
      serveApplicationStatus: Object.entries((active.applicationStatuses ?? {}) as Record<string, Any>).map(
        ([app, st]) => ({
          name: app,
          status: st.status ?? '',
          message: st.message ?? '',
          serveDeploymentStatus: Object.entries(
            (st.serveDeploymentStatuses ?? {}) as Record<string, Any>,
          ).map(([d, ds]) => ({
            deploymentName: d,
            status: ds.status ?? '',
            message: ds.message ?? '',
          })),
        }),
      ),
      serviceEndpoint: { ...(active.rayClusterStatus?.endpoints ?? {}) },
    },
    createdAt: timestamp(unixSeconds(sv.metadata?.creationTimestamp)),
    deleteAt: timestamp(sv.metadata?.deletionTimestamp ? unixSeconds(sv.metadata.deletionTimestamp) : -1),
  };
}
