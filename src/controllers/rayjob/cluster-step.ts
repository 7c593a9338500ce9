import { ClusterStates, EventReasons, type RayCluster, type Service } from '../../api/index.ts';
import {
  buildRayJobCluster,
  buildRayJobHeadService,
  clusterHeadServiceName,
  sameSelector,
} from '../../builders/rayjob/index.ts';
import { type Ctx, requeue, type Step } from './context.ts';
import { clusterSelectorNotFoundMessage } from './messages.ts';
import { usesClusterSelector } from './terminal.ts';

/** Get or create the RayCluster. Returns the cluster, or the Step that ends this pass. */
export function ensureCluster(ctx: Ctx): RayCluster | Step {
  const { rayJob, observed, config } = ctx.input;
  const name = ctx.status.rayClusterName ?? '';
  if (observed.cluster) return observed.cluster;
  if (usesClusterSelector(rayJob)) {
    const message = clusterSelectorNotFoundMessage(`${rayJob.metadata.namespace}/${name}`);
    ctx.status.message = `Waiting for RayCluster ${name} (from spec.clusterSelector) to exist`;
    ctx.actions.push({
      type: 'event',
      eventType: 'Warning',
      reason: EventReasons.rayClusterNotFound,
      message,
    });
    return requeue(ctx);
  }
  ctx.actions.push({
    type: 'createCluster',
    cluster: buildRayJobCluster(rayJob, {
      name,
      jobId: ctx.status.jobId ?? '',
      dashboardURL: ctx.status.dashboardURL ?? '',
      loginShell: config.loginShell,
      sidecarSubmitterRestart: config.sidecarSubmitterRestart,
    }),
  });
  ctx.status.message = `Creating RayCluster ${name}`;
  return requeue(ctx);
}

export function isStep(x: RayCluster | Step): x is Step {
  return (x as Step).bottom !== undefined;
}

export function clusterReady(cluster: RayCluster): boolean {
  return cluster.status?.state === ClusterStates.ready;
}

/** `<headSvc>.<ns>.svc.<domain>:<dashboard port>` (no scheme), or a reason why it cannot be computed yet. */
export function dashboardUrl(
  cluster: RayCluster,
  headService: Service | null | undefined,
  clusterDomain: string,
): { url: string } | { waiting: string } {
  const svcName = clusterHeadServiceName(cluster);
  if (!headService)
    return { waiting: `Waiting for the head Service ${svcName} of RayCluster ${cluster.metadata.name}` };
  const port = headService.spec?.ports?.find((p) => p.name === 'dashboard')?.port;
  if (port === undefined) return { waiting: `The head Service ${svcName} has no port named dashboard` };
  return { url: `${svcName}.${cluster.metadata.namespace}.svc.${clusterDomain || 'cluster.local'}:${port}` };
}

/** Create the RayJob's own head Service, or point it at a new cluster. Skipped with clusterSelector. */
export function reconcileJobHeadService(ctx: Ctx, cluster: RayCluster): void {
  const { rayJob, observed } = ctx.input;
  if (usesClusterSelector(rayJob) || !observed.clusterHeadService) return;
  const existing = observed.jobHeadService;
  if (existing === undefined) return;
  if (existing === null) {
    ctx.actions.push({
      type: 'createJobHeadService',
      service: buildRayJobHeadService(rayJob, cluster, observed.clusterHeadService),
    });
    return;
  }
  // KubeRay updates only when the cluster changes; we also converge a selector of another shape (our
  // versions before 2026-12 selected three keys instead of KubeRay's five), so a take-over leaves none behind.
  const desired = buildRayJobHeadService(rayJob, cluster, observed.clusterHeadService);
  if (!sameSelector(existing, desired)) {
    ctx.actions.push({
      type: 'updateJobHeadService',
      service: { ...existing, spec: { ...existing.spec, selector: desired.spec?.selector ?? {} } },
    });
  }
}
