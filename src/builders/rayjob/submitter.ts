import { goAnyJson } from '../../api/go-json.ts';
import type { BatchJob } from '../../api/index.ts';
import {
  type Container,
  type EnvVar,
  JobSubmissionModes,
  Labels,
  LabelValues,
  MinRayVersions,
  type PodTemplateSpec,
  type RayCluster,
  type RayJob,
} from '../../api/index.ts';
import { compareVersions, parseSemanticVersion } from '../../api/validation/common.ts';
import { parseYaml } from '../../api/yaml.ts';
import { copyJson } from '../../lib/copy.ts';
import { KuberayError } from '../../lib/errors.ts';
import { authSecretName, submitterJobName, usesTokenAuth } from './names.ts';
import { rayJobOwnerReference } from './owner.ts';

export const submitterContainerName = 'ray-job-submitter';
export const defaultSubmitterBackoffLimit = 2;
export const defaultDashboardPort = 8265;

/** A RayJob spec that cannot be turned into a submitter (bad runtimeEnvYAML, metadata on an old Ray). */
export class SubmitterBuildError extends KuberayError {}

export interface CommandOptions {
  readonly mode: 'K8sJobMode' | 'SidecarMode';
  /** `status.jobId`. */
  readonly jobId: string;
  /** `status.dashboardURL` (K8sJobMode), with or without `http://`. */
  readonly dashboardURL: string;
  /** SidecarMode: the head container's `dashboard` port (default 8265). */
  readonly dashboardPort?: number;
  /** SidecarMode with the SidecarSubmitterRestart gate: wrap the submit in a status check. */
  readonly sidecarRestart?: boolean;
}

/**
 * `runtimeEnvYAML` as JSON text as KubeRay writes it (Go's encoding of the decoded YAML: keys sorted at every
 * level); "" when unset. Throws on invalid YAML.
 */
export function runtimeEnvJson(runtimeEnvYAML: string | undefined): string {
  return runtimeEnvYAML ? goAnyJson(runtimeEnvObject(runtimeEnvYAML)) : '';
}

export function runtimeEnvObject(runtimeEnvYAML: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(runtimeEnvYAML);
  } catch (cause) {
    throw new SubmitterBuildError(`spec.runtimeEnvYAML is not valid YAML: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SubmitterBuildError('spec.runtimeEnvYAML must be a YAML mapping');
  return parsed as Record<string, unknown>;
}

/** `--metadata-json` needs Ray >= 2.6.0 when `rayClusterSpec.rayVersion` is set; an unparsable version is an error. */
export function checkMetadataSupported(rayJob: RayJob): void {
  const metadata = rayJob.spec.metadata;
  const rayVersion = rayJob.spec.rayClusterSpec?.rayVersion;
  if (!metadata || Object.keys(metadata).length === 0 || !rayVersion) return;
  const v = parseSemanticVersion(rayVersion);
  if (!v)
    throw new SubmitterBuildError(
      `spec.rayClusterSpec.rayVersion ${JSON.stringify(rayVersion)} is not a version`,
    );
  const min = parseSemanticVersion(MinRayVersions.jobMetadataCli)!;
  if (compareVersions(v, min) < 0)
    throw new SubmitterBuildError(
      `spec.metadata needs Ray >= ${MinRayVersions.jobMetadataCli} for the job CLI, but rayVersion is ${rayVersion}`,
    );
}

function formatFloat(n: number): string {
  return n.toFixed(6);
}

/**
 * One argument in double quotes, as KubeRay writes these flags, but with every character bash treats
 * specially inside double quotes escaped (`\`, `"`, `$`, backtick): KubeRay leaves `$` and backticks, so
 * `$(...)` in a runtime env runs in the submitter's `bash -c`. Ordinary JSON comes out as KubeRay's.
 */
export function doubleQuoteArg(text: string): string {
  return `"${text.replace(/[\\"$`]/g, '\\$&')}"`;
}

/** The generated shell command, as tokens (they are joined with single spaces into the container args). */
export function submitterCommandTokens(rayJob: RayJob, o: CommandOptions): string[] {
  checkMetadataSupported(rayJob);
  const spec = rayJob.spec;
  const sidecar = o.mode === JobSubmissionModes.sidecar;
  const port = o.dashboardPort ?? defaultDashboardPort;
  const addr = sidecar
    ? `http://127.0.0.1:${port}`
    : /^https?:\/\//.test(o.dashboardURL)
      ? o.dashboardURL
      : `http://${o.dashboardURL}`;
  const healthUrl = sidecar ? `http://localhost:${port}/api/gcs_healthz` : `${addr}/api/gcs_healthz`;
  const probe = `python -c "import sys, urllib.request; sys.exit(0 if b'success' in urllib.request.urlopen('${healthUrl}', timeout=10).read() else 1)"`;
  const statusCheck = !sidecar || o.sidecarRestart === true;

  const t: string[] = ['until', probe, '>/dev/null', '2>&1', ';', 'do', 'echo'];
  t.push(
    `"Waiting for Ray Dashboard GCS to become healthy at ${addr} ..."`,
    ';',
    'sleep',
    '2',
    ';',
    'done',
    ';',
  );
  if (statusCheck)
    t.push('if', '!', 'ray', 'job', 'status', '--address', addr, o.jobId, '>/dev/null', '2>&1', ';', 'then');
  t.push('ray', 'job', 'submit', '--address', addr);
  if (statusCheck) t.push('--no-wait');
  const env = runtimeEnvJson(spec.runtimeEnvYAML);
  if (env) t.push('--runtime-env-json', doubleQuoteArg(env));
  if (spec.metadata && Object.keys(spec.metadata).length > 0)
    t.push('--metadata-json', doubleQuoteArg(goAnyJson(spec.metadata)));
  if (o.jobId) t.push('--submission-id', o.jobId);
  if ((spec.entrypointNumCpus ?? 0) > 0)
    t.push('--entrypoint-num-cpus', formatFloat(spec.entrypointNumCpus!));
  if ((spec.entrypointNumGpus ?? 0) > 0)
    t.push('--entrypoint-num-gpus', formatFloat(spec.entrypointNumGpus!));
  if (spec.entrypointResources) t.push('--entrypoint-resources', doubleQuoteArg(spec.entrypointResources));
  t.push('--', (spec.entrypoint ?? '').trim(), ';');
  if (statusCheck) t.push('fi', ';', 'ray', 'job', 'logs', '--address', addr, '--follow', o.jobId);
  return t;
}

/** The default submitter container: the head image, 500m/200Mi requested, 1 CPU/1Gi limit. */
export function defaultSubmitterContainer(rayClusterSpecImage: string | undefined): Container {
  return {
    name: submitterContainerName,
    ...(rayClusterSpecImage ? { image: rayClusterSpecImage } : {}),
    resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '200Mi' } },
  };
}

export interface ContainerOptions extends CommandOptions {
  /** ENABLE_LOGIN_SHELL: `bash -cel` instead of `-ce`. */
  readonly loginShell: boolean;
  /** The cluster, for token auth env. */
  readonly cluster?: RayCluster;
  /** Set the command even when the container has one (SidecarMode). */
  readonly forceCommand: boolean;
}

/** Applies command, args and env to a submitter container (returns a new container). */
export function configureSubmitterContainer(c: Container, rayJob: RayJob, o: ContainerOptions): Container {
  const out: Container = copyJson(c);
  if (o.forceCommand || !out.command || out.command.length === 0) {
    out.command = ['/bin/bash', o.loginShell ? '-cel' : '-ce', '--'];
    out.args = [submitterCommandTokens(rayJob, o).join(' ')];
  }
  const env: EnvVar[] = [
    { name: 'PYTHONUNBUFFERED', value: '1' },
    { name: 'RAY_DASHBOARD_ADDRESS', value: o.dashboardURL },
    { name: 'RAY_JOB_SUBMISSION_ID', value: o.jobId },
  ];
  if (o.cluster && usesTokenAuth(o.cluster)) {
    env.push({ name: 'RAY_AUTH_MODE', value: 'token' });
    env.push({
      name: 'RAY_AUTH_TOKEN',
      valueFrom: { secretKeyRef: { name: authSecretName(o.cluster), key: 'auth_token' } },
    });
  }
  out.env = [...(out.env ?? []), ...env];
  return out;
}

export function submitterPodLabels(rayJob: RayJob): Record<string, string> {
  return {
    [Labels.originatedFromCrName]: rayJob.metadata.name ?? '',
    [Labels.originatedFromCrd]: 'RayJob',
    [Labels.appCreatedBy]: LabelValues.createdBy,
  };
}

export interface SubmitterJobOptions {
  readonly jobId: string;
  readonly dashboardURL: string;
  readonly loginShell: boolean;
  readonly cluster?: RayCluster;
}

/**
 * The K8sJobMode submitter: a batch/v1 Job named after the RayJob. Throws SubmitterBuildError.
 * The default container takes the image of the cluster's head container, as KubeRay does: the cluster the
 * job runs on, which for a `clusterSelector` job is the selected one (there is no `spec.rayClusterSpec`).
 */
export function buildSubmitterJob(rayJob: RayJob, o: SubmitterJobOptions): BatchJob {
  const headImage =
    o.cluster?.spec?.headGroupSpec?.template?.spec?.containers?.[0]?.image ??
    rayJob.spec.rayClusterSpec?.headGroupSpec?.template?.spec?.containers?.[0]?.image;
  const template: PodTemplateSpec = rayJob.spec.submitterPodTemplate
    ? copyJson(rayJob.spec.submitterPodTemplate)
    : { spec: { restartPolicy: 'Never', containers: [defaultSubmitterContainer(headImage)] } };
  const containers = template.spec?.containers ?? [];
  if (containers.length === 0) throw new SubmitterBuildError('spec.submitterPodTemplate has no containers');
  containers[0] = configureSubmitterContainer(containers[0]!, rayJob, {
    mode: 'K8sJobMode',
    jobId: o.jobId,
    dashboardURL: o.dashboardURL,
    loginShell: o.loginShell,
    forceCommand: false,
    ...(o.cluster ? { cluster: o.cluster } : {}),
  });
  const labels = submitterPodLabels(rayJob);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...labels } };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: submitterJobName(rayJob.metadata.name ?? ''),
      namespace: rayJob.metadata.namespace ?? '',
      labels,
      ownerReferences: [rayJobOwnerReference(rayJob)],
    },
    spec: {
      backoffLimit: rayJob.spec.submitterConfig?.backoffLimit ?? defaultSubmitterBackoffLimit,
      template,
    },
  };
}
