import {
  JobDeploymentStatuses,
  JobSubmissionModes,
  type Pod,
  type RayCluster,
  type RayJob,
  type RayJobStatus,
} from '../../api/index.ts';
import {
  authSecretName,
  type BatchJob,
  clusterHeadServiceName,
  rayJobHeadServiceName,
  submissionMode,
  submitterJobName,
  usesTokenAuth,
} from '../../builders/rayjob/index.ts';
import { Resources } from '../../k8s/resources.ts';
import { errorMessage } from '../../lib/errors.ts';
import { type DashboardTarget, isJobNotFound } from '../../ray/index.ts';
import { headPodSelector } from '../common/selectors.ts';
import type { RayJobDeps } from './deps.ts';
import { usesClusterSelector } from './terminal.ts';
import type { JobInfoResult, Observed } from './types.ts';

/** Which dashboard serves a RayJob's cluster. */
export function dashboardTarget(
  rayJob: RayJob,
  status: RayJobStatus,
  cluster: RayCluster | undefined,
): DashboardTarget {
  const ns = rayJob.metadata.namespace ?? '';
  const clusterName = status.rayClusterName ?? '';
  return {
    namespace: ns,
    clusterName,
    dashboardUrl: status.dashboardURL ?? '',
    headServiceName:
      cluster?.status?.head?.serviceName ||
      (cluster ? clusterHeadServiceName(cluster) : `${clusterName}-head-svc`),
    ...(cluster && usesTokenAuth(cluster) ? { authSecretName: authSecretName(cluster) } : {}),
  };
}

/** Reads what the state machine needs: cluster, Services and submitter from the cache; job info from Ray. */
export async function observe(deps: RayJobDeps, rayJob: RayJob): Promise<Observed> {
  const ns = rayJob.metadata.namespace ?? '';
  const name = rayJob.metadata.name ?? '';
  const status = rayJob.status ?? {};
  const state = status.jobDeploymentStatus ?? '';
  const mode = submissionMode(rayJob);
  const cluster = status.rayClusterName
    ? (deps.rayClusters.get(ns, status.rayClusterName) ?? null)
    : undefined;
  const clusterHeadService = cluster
    ? (deps.services.get(ns, clusterHeadServiceName(cluster)) ?? null)
    : undefined;
  const jobHeadService = usesClusterSelector(rayJob)
    ? undefined
    : (deps.services.get(ns, rayJobHeadServiceName(name)) ?? null);
  const submitterJob =
    mode === JobSubmissionModes.k8sJob
      ? ((deps.jobs.get(ns, submitterJobName(name)) as BatchJob | undefined) ?? null)
      : undefined;
  const running = state === JobDeploymentStatuses.running;
  let headPods: Pod[] | undefined;
  // Initializing too: a submitter sidecar that already ended must not leave the RayJob waiting for a head pod
  // that can no longer become Ready.
  const initializing = state === JobDeploymentStatuses.initializing;
  if ((running || initializing) && mode === JobSubmissionModes.sidecar && status.rayClusterName)
    headPods = await (deps.listHeadPods ?? apiHeadPods(deps))(ns, status.rayClusterName);
  let jobInfo: JobInfoResult | undefined;
  if (running && status.jobId && status.dashboardURL)
    jobInfo = await fetchJobInfo(deps, rayJob, status, cluster ?? undefined);
  return {
    ...(cluster !== undefined ? { cluster } : {}),
    ...(clusterHeadService !== undefined ? { clusterHeadService } : {}),
    ...(jobHeadService !== undefined ? { jobHeadService } : {}),
    ...(submitterJob !== undefined ? { submitterJob } : {}),
    ...(headPods ? { headPods } : {}),
    ...(jobInfo ? { jobInfo } : {}),
  };
}

async function fetchJobInfo(
  deps: RayJobDeps,
  rayJob: RayJob,
  status: RayJobStatus,
  cluster: RayCluster | undefined,
): Promise<JobInfoResult> {
  try {
    const dashboard = await deps.dashboards(dashboardTarget(rayJob, status, cluster));
    return { kind: 'ok', info: await dashboard.getJobInfo(status.jobId ?? '') };
  } catch (e) {
    if (isJobNotFound(e)) return { kind: 'notFound' };
    return { kind: 'error', message: errorMessage(e) };
  }
}

function apiHeadPods(deps: RayJobDeps) {
  return async (namespace: string, cluster: string): Promise<Pod[]> => {
    const list = await deps.client.list<Pod>(Resources.pods, {
      namespace,
      labelSelector: headPodSelector(cluster),
    });
    return list.items;
  };
}
