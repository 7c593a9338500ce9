import {
  EventReasons,
  Finalizers,
  type RayCluster,
  type RayJob,
  type RayJobStatus,
} from '../../api/index.ts';
import type { PodGroupShape } from '../../builders/rayjob/index.ts';
import { isAlreadyExists, isNotFound } from '../../k8s/api-error.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import { copyJson } from '../../lib/copy.ts';
import { errorMessage } from '../../lib/errors.ts';
import { isJobAlreadySubmitted, type RayJobRequest } from '../../ray/index.ts';
import { ensureFinalizer, withFinalizer } from '../../runtime/finalizers.ts';
import { recordedWrite } from '../common/events.ts';
import type { RayJobDeps } from './deps.ts';
import {
  clusterTexts,
  deleteClusterTexts,
  deleteSubmitterTexts,
  failedToSuspendWorkerGroupsMessage,
  failedToUpdateServiceMessage,
  serviceTexts,
  submitterTexts,
  suspendedWorkerGroupsMessage,
  updatedServiceMessage,
  type WriteTexts,
} from './messages.ts';
import { dashboardTarget } from './observe.ts';
import { toTime } from './status.ts';
import type { Action } from './types.ts';

/** Performs one action. Throws when the pass must stop (it is retried with backoff); returns the new RV of the RayJob. */
export async function execute(
  deps: RayJobDeps,
  rayJob: RayJob,
  status: RayJobStatus,
  action: Action,
): Promise<void> {
  const { client, events } = deps;
  const ns = rayJob.metadata.namespace ?? '';
  const _warn = (reason: string, message: string) =>
    events.record(rayJob, { type: 'Warning', reason, message });
  const _normal = (reason: string, message: string) =>
    events.record(rayJob, { type: 'Normal', reason, message });
  // An update with its Events: Normal after it, Warning with the error (rethrown) when it fails.
  const update = async (
    type: (typeof Resources)[keyof typeof Resources],
    obj: KubeObject,
    [okReason, okMessage]: [string, string],
    [failedReason, failedMessage]: [string, (e: unknown) => string],
  ): Promise<void> => {
    await recordedWrite(
      events,
      rayJob,
      () => client.update(type, obj),
      { reason: okReason, message: okMessage },
      { reason: failedReason, message: failedMessage },
    );
  };
  switch (action.type) {
    case 'addFinalizer': {
      const finalizers = withFinalizer(rayJob, Finalizers.rayJob);
      const out = await ensureFinalizer(client, Resources.rayJobs, rayJob, Finalizers.rayJob);
      rayJob.metadata.finalizers = finalizers;
      rayJob.metadata.resourceVersion = out.metadata.resourceVersion ?? '';
      return;
    }
    case 'createCluster':
      return create(
        deps,
        rayJob,
        Resources.rayClusters,
        action.cluster,
        EventReasons.createdRayCluster,
        EventReasons.failedToCreateRayCluster,
        clusterTexts,
      );
    case 'createSubmitterJob':
      return create(
        deps,
        rayJob,
        Resources.jobs,
        action.job,
        EventReasons.createdRayJobSubmitter,
        EventReasons.failedToCreateRayJobSubmitter,
        submitterTexts,
      );
    case 'createJobHeadService':
      return create(
        deps,
        rayJob,
        Resources.services,
        action.service,
        EventReasons.createdService,
        EventReasons.failedToCreateService,
        serviceTexts,
      );
    case 'updateJobHeadService': {
      const name = `${ns}/${action.service.metadata?.name}`;
      return update(
        Resources.services,
        action.service,
        [EventReasons.updatedService, updatedServiceMessage(name)],
        [EventReasons.failedToUpdateService, (e) => failedToUpdateServiceMessage(name, e)],
      );
    }
    case 'submitHttpJob':
      return submitHttp(deps, rayJob, status, action.request);
    case 'deleteCluster':
      return remove(
        deps,
        rayJob,
        'rayClusters',
        action.name,
        EventReasons.deletedRayCluster,
        EventReasons.failedToDeleteRayCluster,
        deleteClusterTexts,
      );
    case 'deleteSubmitterJob':
      return remove(
        deps,
        rayJob,
        'jobs',
        action.name,
        EventReasons.deletedRayJobSubmitter,
        EventReasons.failedToDeleteRayJobSubmitter,
        deleteSubmitterTexts,
      );
    case 'suspendWorkerGroups': {
      const cluster: RayCluster = copyJson(action.cluster);
      for (const g of cluster.spec.workerGroupSpecs ?? []) g.suspend = true;
      const name = `${ns}/${cluster.metadata.name}`;
      return update(
        Resources.rayClusters,
        cluster,
        [EventReasons.updatedRayCluster, suspendedWorkerGroupsMessage(name)],
        [EventReasons.failedToUpdateRayCluster, (e) => failedToSuspendWorkerGroupsMessage(name, e)],
      );
    }
    case 'applyPodGroup':
      return applyPodGroup(deps, rayJob, action.podGroup);
    case 'shrinkPodGroup':
      return shrinkPodGroup(deps, rayJob, action.name, action.shape);
    case 'deleteSelf':
      await client.delete(Resources.rayJobs, ns, rayJob.metadata.name ?? '');
      deps.logger.info('deleted the RayJob after it finished');
      return;
    case 'event':
      events.record(rayJob, {
        type: action.eventType,
        reason: action.reason,
        action: action.action,
        message: action.message,
      });
      return;
  }
}

async function create(
  deps: RayJobDeps,
  rayJob: RayJob,
  type: (typeof Resources)[keyof typeof Resources],
  object: KubeObject,
  okReason: string,
  failReason: string,
  texts: WriteTexts,
): Promise<void> {
  const o = object;
  const name = `${o.metadata.namespace}/${o.metadata.name}`;
  try {
    await deps.client.create(type, o);
    deps.events.record(rayJob, { type: 'Normal', reason: okReason, message: texts.done(name) });
  } catch (e) {
    if (isAlreadyExists(e)) return;
    deps.events.record(rayJob, {
      type: 'Warning',
      reason: failReason,
      message: texts.failed(name, e),
    });
    throw e;
  }
}

async function remove(
  deps: RayJobDeps,
  rayJob: RayJob,
  kind: 'rayClusters' | 'jobs',
  name: string,
  okReason: string,
  failReason: string,
  texts: WriteTexts,
): Promise<void> {
  const ns = rayJob.metadata.namespace ?? '';
  try {
    const existed = await deps.client.delete(
      Resources[kind],
      ns,
      name,
      kind === 'jobs' ? { propagationPolicy: 'Background' } : {},
    );
    if (existed)
      deps.events.record(rayJob, {
        type: 'Normal',
        reason: okReason,
        message: texts.done(`${ns}/${name}`),
      });
  } catch (e) {
    deps.events.record(rayJob, {
      type: 'Warning',
      reason: failReason,
      message: texts.failed(`${ns}/${name}`, e),
    });
    throw e;
  }
}

/** HTTPMode submission: a failure starts the status-check timer, a success clears it. */
async function submitHttp(
  deps: RayJobDeps,
  rayJob: RayJob,
  status: RayJobStatus,
  request: RayJobRequest | Error,
): Promise<void> {
  const now = deps.clock.now();
  try {
    if (request instanceof Error) throw request;
    const cluster = deps.rayClusters.get(rayJob.metadata.namespace, status.rayClusterName ?? '') as
      | RayCluster
      | undefined;
    const dashboard = await deps.dashboards(dashboardTarget(rayJob, status, cluster));
    try {
      await dashboard.submitJob(request);
    } catch (e) {
      if (!isJobAlreadySubmitted(e)) throw e;
    }
    delete status.jobStatusCheckFailureStartTime;
    status.message = `Submitted the Ray job ${status.jobId}`;
    deps.logger.info('submitted the Ray job', { jobId: status.jobId });
  } catch (e) {
    status.jobStatusCheckFailureStartTime ??= toTime(now);
    status.message = `Failed to submit the Ray job ${status.jobId}: ${errorMessage(e)}`;
    deps.logger.warn('failed to submit the Ray job', { jobId: status.jobId, error: errorMessage(e) });
  }
}

const stable = (x: unknown) => JSON.stringify(x);

/** Server-side apply of the RayJob's PodGroup, skipped when the same content was applied before. */
async function applyPodGroup(deps: RayJobDeps, rayJob: RayJob, podGroup: KubeObject): Promise<void> {
  const key = `${rayJob.metadata.uid}/apply`;
  const hash = stable(podGroup);
  if (deps.podGroupWrites?.get(key) === hash) return;
  try {
    await deps.client.apply(Resources.volcanoPodGroups, podGroup, { force: true });
  } catch (e) {
    deps.events.record(rayJob, {
      type: 'Warning',
      reason: 'FailedToCreatePodGroup',
      message: `Failed to create or update PodGroup ${podGroup.metadata.namespace}/${podGroup.metadata.name}: ${errorMessage(e)}`,
    });
    throw e;
  }
  deps.podGroupWrites?.set(key, hash);
  deps.podGroupWrites?.delete(`${rayJob.metadata.uid}/shrink`);
}

/** Batch-scheduler cleanup: errors are only logged (as KubeRay does), a missing PodGroup is fine. */
async function shrinkPodGroup(
  deps: RayJobDeps,
  rayJob: RayJob,
  name: string,
  shape: PodGroupShape,
): Promise<void> {
  const key = `${rayJob.metadata.uid}/shrink`;
  const hash = stable(shape);
  if (deps.podGroupWrites?.get(key) === hash) return;
  const ns = rayJob.metadata.namespace ?? '';
  try {
    const pg = await deps.client.get(Resources.volcanoPodGroups, ns, name);
    const spec = (pg.spec ?? {}) as Record<string, unknown>;
    if (
      stable(spec.minMember) !== stable(shape.minMember) ||
      stable(spec.minResources ?? {}) !== stable(shape.minResources)
    ) {
      await deps.client.update(Resources.volcanoPodGroups, {
        ...pg,
        spec: { ...spec, minMember: shape.minMember, minResources: { ...shape.minResources } },
      });
      deps.logger.info('shrank the PodGroup of a finished RayJob', {
        podGroup: name,
        minMember: shape.minMember,
      });
    }
  } catch (e) {
    if (!isNotFound(e)) {
      deps.logger.warn('failed to shrink the PodGroup of a RayJob', {
        podGroup: name,
        error: errorMessage(e),
      });
      return;
    }
  }
  deps.podGroupWrites?.set(key, hash);
  deps.podGroupWrites?.delete(`${rayJob.metadata.uid}/apply`);
}
