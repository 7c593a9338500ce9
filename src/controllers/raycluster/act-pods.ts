import type { Pod, RayCluster } from '../../api/index.ts';
import { addSchedulerMetadata, buildHeadPod, buildWorkerPod } from '../../builders/raycluster/index.ts';
import { ApiError } from '../../k8s/api-error.ts';
import { Resources, resourcePath } from '../../k8s/resources.ts';
import { mapBounded } from '../common/concurrency.ts';
import { errorText, joinedErrorText } from '../common/error-text.ts';
import type { RayClusterDeps } from './deps.ts';
import {
  createdPodMessage,
  deletedAllPodsMessage,
  deletedPodMessage,
  deletedSuspendedGroupMessage,
  failedToCreatePodMessage,
  failedToDeleteAllPodsMessage,
  failedToDeletePodMessage,
  failedToDeleteSuspendedGroupMessage,
} from './messages.ts';
import type { PodAction, PodPhase } from './plan.ts';
import type { ReconcileOutcome, ReplicaFailureReason } from './status.ts';

type Failure = { reason: ReplicaFailureReason | undefined; message: string; cause: unknown };

/** What issuing a pod plan came to: the reconcile error, if any, or that it stopped early to yield. */
export interface PodPlanResult {
  readonly error?: ReconcileOutcome;
  /** `shouldYield` said stop: some planned writes were not issued; reconcile again after the others. */
  readonly yielded?: boolean;
}

/**
 * Issues the planned pod changes (the only pod I/O). `shouldYield` is asked before each write: when it says
 * so, the writes not yet started are left for the next reconcile (the expectations keep it from planning
 * them twice), so a scale-up of a thousand pods does not hold the worker while other clusters wait.
 */
export async function executePodPlan(
  deps: RayClusterDeps,
  rc: RayCluster,
  phases: readonly PodPhase[],
  shouldYield: () => boolean = () => false,
): Promise<PodPlanResult> {
  const ns = rc.metadata.namespace ?? '';
  const cluster = rc.metadata.name ?? '';
  const bodies: Bodies = new Map();
  for (const phase of phases) {
    if (phase.clearExpectations) deps.expectations.deleteCluster(ns, cluster);
    const first: PodAction[] = phase.actions.filter(
      (a) => a.type !== 'createHead' && a.type !== 'createWorker',
    );
    const creates: PodAction[] = phase.actions.filter(
      (a) => a.type === 'createHead' || a.type === 'createWorker',
    );
    for (const batch of [first, creates]) {
      const results = await mapBounded(
        batch,
        deps.config.podWriteConcurrency,
        (a) => act(deps, rc, a, bodies),
        (next) => startsUnit(next) && shouldYield(),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Failure] : []));
      if (failures.length > 0)
        return {
          error: {
            message: failures.map((f) => f.message).join('\n'),
            ...(failures[0]!.reason ? { replicaFailure: failures[0]!.reason } : {}),
            cause:
              failures.length === 1 ? failures[0]!.cause : new AggregateError(failures.map((f) => f.cause)),
          },
        };
      if (results.length < batch.length) return { yielded: true };
    }
    if (phase.thenError) return { error: { message: phase.thenError } };
    if (phase.stop) return {};
  }
  return {};
}

/**
 * Whether a yield may come before `a`: not between the pods of one multi-host replica, whose next reconcile
 * would find the replica incomplete and delete it (the pods of a replica are created together).
 */
function startsUnit(a: PodAction): boolean {
  return !(a.type === 'createWorker' && (a.index.hostIndex ?? 0) > 0);
}

/**
 * The pods one plan creates, built once per distinct body with their JSON as UTF-8 bytes: the builder is pure, and the workers
 * of one group differ only in the name the API server generates (and, with multi-host indexing, in the index
 * labels, which are part of the key). A scale-up of a hundred workers builds and encodes one pod, not a hundred.
 */
type Bodies = Map<string, { readonly pod: Pod; readonly json: Buffer }>;

function podToCreate(
  deps: RayClusterDeps,
  rc: RayCluster,
  a: Extract<PodAction, { type: 'createHead' | 'createWorker' }>,
  bodies: Bodies,
): { readonly pod: Pod; readonly json: Buffer } {
  const head = a.type === 'createHead';
  const key = head
    ? 'head'
    : `${a.groupIndex}/${a.index.replicaIndex ?? ''}/${a.index.replicaName ?? ''}/${a.index.hostIndex ?? ''}`;
  let body = bodies.get(key);
  if (!body) {
    const built = head
      ? buildHeadPod(rc, deps.config)
      : buildWorkerPod(rc, deps.config, a.groupIndex, a.index);
    const pod = addSchedulerMetadata(built, rc, deps.config.batchScheduler, head ? '' : a.group);
    body = { pod, json: Buffer.from(JSON.stringify(pod)) };
    bodies.set(key, body);
  }
  return body;
}

async function act(deps: RayClusterDeps, rc: RayCluster, a: PodAction, bodies: Bodies): Promise<void> {
  const ns = rc.metadata.namespace ?? '';
  const cluster = rc.metadata.name ?? '';
  const now = () => deps.clock.now();
  // The ReplicaFailure condition's message is KubeRay's errors.Join(marker, err) text.
  const fail = (reason: ReplicaFailureReason | undefined, e: unknown): Failure => ({
    reason,
    message: reason ? joinedErrorText(reason, e) : errorText(e),
    cause: e,
  });
  switch (a.type) {
    case 'deleteCollection': {
      try {
        await deps.client.deleteCollection(Resources.pods, { namespace: ns, labelSelector: a.selector });
      } catch (e) {
        if (a.why === 'groupSuspend') {
          deps.events.record(rc, {
            type: 'Warning',
            reason: 'FailedToDeleteWorkerPodCollection',
            action: 'Delete',
            message: failedToDeleteSuspendedGroupMessage(ns, cluster, a.group ?? '', e),
          });
          throw fail('FailedDeleteWorkerPod', e);
        }
        deps.events.record(rc, {
          type: 'Warning',
          reason: 'FailedToDeletePodCollection',
          action: 'Delete',
          message: failedToDeleteAllPodsMessage(ns, cluster, a.why, e),
        });
        throw fail('FailedDeleteAllPods', e);
      }
      if (a.why === 'groupSuspend')
        deps.events.record(rc, {
          type: 'Normal',
          reason: 'DeletedWorkerPod',
          action: 'Delete',
          message: deletedSuspendedGroupMessage(ns, cluster, a.group ?? ''),
        });
      else
        deps.events.record(rc, {
          type: 'Normal',
          reason: 'DeletedPod',
          action: 'Delete',
          message: deletedAllPodsMessage(ns, cluster, a.why),
        });
      return;
    }
    case 'annotateHead':
      try {
        await deps.client.patch(Resources.pods, ns, a.name, { metadata: { annotations: a.annotations } });
      } catch (e) {
        throw fail(undefined, e);
      }
      return;
    case 'deletePod': {
      const group = a.head ? '' : a.group;
      try {
        await deps.client.rest.request(
          'DELETE',
          resourcePath(Resources.pods, { namespace: ns, name: a.name }),
        );
      } catch (e) {
        if (!(e instanceof ApiError && e.isNotFound() && a.ignoreNotFound)) {
          deps.events.record(rc, {
            type: 'Warning',
            reason: a.head ? 'FailedToDeleteHeadPod' : 'FailedToDeleteWorkerPod',
            action: 'Delete',
            message: failedToDeletePodMessage(a.why, ns, a.name, a.pod, e),
          });
          throw fail(a.head ? 'FailedDeleteHeadPod' : 'FailedDeleteWorkerPod', e);
        }
        return;
      }
      deps.expectations.expect(ns, cluster, group, a.name, 'delete', now());
      deps.events.record(rc, {
        type: 'Normal',
        reason: a.head ? 'DeletedHeadPod' : 'DeletedWorkerPod',
        action: 'Delete',
        message: deletedPodMessage(a.why, ns, a.name, a.pod),
      });
      return;
    }
    case 'createHead':
    case 'createWorker': {
      const head = a.type === 'createHead';
      const { pod, json } = podToCreate(deps, rc, a, bodies);
      try {
        const created = await deps.client.createForMetadata(Resources.pods, pod, { json });
        const name = created.metadata.name ?? '';
        deps.expectations.expect(ns, cluster, head ? '' : a.group, name, 'create', now());
        deps.events.record(rc, {
          type: 'Normal',
          reason: head ? 'CreatedHeadPod' : 'CreatedWorkerPod',
          action: 'Create',
          message: createdPodMessage(head, ns, name),
        });
      } catch (e) {
        deps.events.record(rc, {
          type: 'Warning',
          reason: head ? 'FailedToCreateHeadPod' : 'FailedToCreateWorkerPod',
          action: 'Create',
          message: failedToCreatePodMessage(head, ns, { pod: pod.metadata.name ?? '', cluster }, e),
        });
        throw fail(head ? 'FailedCreateHeadPod' : 'FailedCreateWorkerPod', e);
      }
      return;
    }
  }
}
