import {
  EventActions,
  Finalizers,
  JobDeploymentStatuses,
  JobFailedReasons,
  ManagedBy,
  type RayJob,
  type RayJobStatus,
} from '../../api/index.ts';
import { randomSuffix } from '../../builders/rayjob/index.ts';
import { isNotFound } from '../../k8s/api-error.ts';
import { Resources } from '../../k8s/resources.ts';
import { copyJson } from '../../lib/copy.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type {
  ReconcileContext,
  ReconcileRequest,
  ReconcileResult,
  Reconciler,
} from '../../runtime/controller.ts';
import { hasFinalizer, removeFinalizer } from '../../runtime/finalizers.ts';
import { execute } from './actions.ts';
import type { RayJobDeps } from './deps.ts';
import { decide } from './machine.ts';
import { invalidRayJobMessage } from './messages.ts';
import { dashboardTarget, observe } from './observe.ts';
import { isTerminalJobStatus, parseTime, statusChanged } from './status.ts';
import { validateRayJob } from './validation.ts';

/** The RayJob reconciler: read from the cache, validate, decide (pure), act, write the status if it changed. */
export function createRayJobReconciler(deps: RayJobDeps): Reconciler {
  return async (req: ReconcileRequest, ctx: ReconcileContext): Promise<ReconcileResult | undefined> => {
    const cached = deps.rayJobs.get(req.namespace, req.name);
    if (!cached) {
      deps.metrics?.forget(req.namespace ?? '', req.name);
      return undefined;
    }
    const rayJob = copyJson(cached);
    rayJob.spec ??= {};
    const log = ctx.logger;
    if (rayJob.spec.managedBy && rayJob.spec.managedBy !== ManagedBy.kuberayOperator) {
      log.debug('skipping RayJob managed by another controller', { managedBy: rayJob.spec.managedBy });
      return undefined;
    }
    if (rayJob.metadata.deletionTimestamp) return finalize(deps, rayJob, log);

    const invalid = validateRayJob(rayJob, deps.config);
    if (invalid) {
      deps.events.record(rayJob, {
        type: 'Warning',
        reason: invalid.reason,
        action: EventActions.validate,
        message: invalidRayJobMessage(
          `${rayJob.metadata.namespace}/${rayJob.metadata.name}`,
          invalid.message,
        ),
      });
      const status: RayJobStatus = {
        ...rayJob.status,
        jobDeploymentStatus: JobDeploymentStatuses.validationFailed,
        reason: JobFailedReasons.validationFailed,
        message: invalid.message,
      };
      if (statusChanged(rayJob.status, status)) await writeStatus(deps, rayJob, status);
      return undefined;
    }

    // The retry_count label of the execution-duration metric is the failed count before this pass (KubeRay's
    // originalRayJobStatus.Failed); writeStatus replaces rayJob.status, so it is read here.
    const failedBefore = rayJob.status?.failed ?? 0;
    const observed = await observe(deps, rayJob);
    const now = deps.clock.now();
    const random = deps.random ?? Math.random;
    const decision = decide({
      rayJob,
      observed,
      config: deps.config,
      now,
      suffix: () => randomSuffix(random),
    });
    const status = copyJson(decision.status);
    for (const action of decision.actions) {
      await execute(deps, rayJob, status, action);
      if (action.type === 'deleteSelf') return undefined;
    }
    if (decision.writeStatus || statusChanged(decision.status, status)) {
      await writeStatus(deps, rayJob, status);
      log.info('RayJob status updated', {
        from: rayJob.status?.jobDeploymentStatus ?? '',
        to: status.jobDeploymentStatus ?? '',
        jobStatus: status.jobStatus ?? '',
        reason: status.reason ?? '',
      });
    }
    if (decision.finishedAttempt && deps.metrics) {
      const start = parseTime(status.startTime) ?? now;
      deps.metrics.observeExecution(
        rayJob,
        status.jobDeploymentStatus ?? '',
        failedBefore,
        (now - start) / 1000,
      );
    }
    return decision.requeueAfterMs !== undefined ? { requeueAfter: decision.requeueAfterMs } : undefined;
  };
}

async function writeStatus(deps: RayJobDeps, rayJob: RayJob, status: RayJobStatus): Promise<void> {
  const body = { ...rayJob, status };
  const out = await deps.client.updateStatus(Resources.rayJobs, body);
  rayJob.metadata.resourceVersion = out.metadata.resourceVersion ?? '';
  rayJob.status = status;
}

/** Deletion: stop a Ray job that has not finished (errors only logged), then drop the finalizer. */
async function finalize(deps: RayJobDeps, rayJob: RayJob, log: Logger): Promise<ReconcileResult | undefined> {
  if (!hasFinalizer(rayJob, Finalizers.rayJob)) return undefined;
  const status = rayJob.status ?? {};
  if (!isTerminalJobStatus(status.jobStatus) && status.jobId && status.dashboardURL) {
    try {
      const cluster = deps.rayClusters.get(rayJob.metadata.namespace, status.rayClusterName ?? '');
      const dashboard = await deps.dashboards(dashboardTarget(rayJob, status, cluster));
      await dashboard.stopJob(status.jobId);
      log.info('stopped the Ray job of a deleted RayJob', { jobId: status.jobId });
    } catch (e) {
      log.warn('failed to stop the Ray job of a deleted RayJob', {
        jobId: status.jobId,
        error: errorMessage(e),
      });
    }
  }
  try {
    await removeFinalizer(deps.client, Resources.rayJobs, rayJob, Finalizers.rayJob);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  // The object is going away; its delete event (or a conflict retry) brings any further pass.
  return undefined;
}
