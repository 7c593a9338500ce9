import {
  addSchedulerMetadata,
  buildHeadPod,
  buildWorkerPod,
  type Pod,
  type RayCluster,
} from '../../builders/raycluster/index.ts';
import { ApiError } from '../../k8s/api-error.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources, resourcePath } from '../../k8s/resources.ts';
import { formatLabelSelector } from '../../k8s/selectors.ts';
import { errorMessage } from '../../lib/errors.ts';
import { mapBounded } from '../common/concurrency.ts';
import type { RayClusterDeps } from './deps.ts';
import type { PodAction, PodPhase } from './plan.ts';
import type { ReconcileOutcome, ReplicaFailureReason } from './status.ts';

const asObj = (o: RayCluster | Pod) => o as unknown as KubeObject;

type Failure = { reason: ReplicaFailureReason | undefined; message: string; cause: unknown };

/** Issues the planned pod changes (the only pod I/O); returns the reconcile error, if any. */
export async function executePodPlan(
  deps: RayClusterDeps,
  rc: RayCluster,
  phases: readonly PodPhase[],
): Promise<ReconcileOutcome | undefined> {
  const ns = rc.metadata.namespace ?? '';
  const cluster = rc.metadata.name ?? '';
  for (const phase of phases) {
    if (phase.clearExpectations) deps.expectations.deleteCluster(ns, cluster);
    const first: PodAction[] = phase.actions.filter(
      (a) => a.type !== 'createHead' && a.type !== 'createWorker',
    );
    const creates: PodAction[] = phase.actions.filter(
      (a) => a.type === 'createHead' || a.type === 'createWorker',
    );
    for (const batch of [first, creates]) {
      const results = await mapBounded(batch, deps.config.podWriteConcurrency, (a) => act(deps, rc, a));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Failure] : []));
      if (failures.length > 0)
        return {
          message: failures.map((f) => f.message).join('\n'),
          ...(failures[0]!.reason ? { replicaFailure: failures[0]!.reason } : {}),
          cause:
            failures.length === 1 ? failures[0]!.cause : new AggregateError(failures.map((f) => f.cause)),
        };
    }
    if (phase.thenError) return { message: phase.thenError };
    if (phase.stop) return undefined;
  }
  return undefined;
}

async function act(deps: RayClusterDeps, rc: RayCluster, a: PodAction): Promise<void> {
  const ns = rc.metadata.namespace ?? '';
  const cluster = rc.metadata.name ?? '';
  const now = () => deps.clock.now();
  const fail = (reason: ReplicaFailureReason | undefined, e: unknown): Failure => ({
    reason,
    message: errorMessage(e),
    cause: e,
  });
  switch (a.type) {
    case 'deleteCollection': {
      const path = resourcePath(Resources.pods, { namespace: ns });
      try {
        await deps.client.rest.request('DELETE', path, {
          query: { labelSelector: formatLabelSelector(a.selector) },
        });
      } catch (e) {
        if (a.why === 'groupSuspend') {
          deps.events.event(
            asObj(rc),
            'Warning',
            'FailedToDeleteWorkerPodCollection',
            'Delete',
            `Failed deleting worker Pods for suspended group ${a.group} in RayCluster ${ns}/${cluster}, ${errorMessage(e)}`,
          );
          throw fail('FailedDeleteWorkerPod', e);
        }
        deps.events.event(
          asObj(rc),
          'Warning',
          'FailedToDeletePodCollection',
          'Delete',
          `Failed deleting Pods of RayCluster ${ns}/${cluster}, ${errorMessage(e)}`,
        );
        throw fail('FailedDeleteAllPods', e);
      }
      if (a.why === 'groupSuspend')
        deps.events.event(
          asObj(rc),
          'Normal',
          'DeletedWorkerPod',
          'Delete',
          `Deleted worker Pods of suspended group ${a.group} in RayCluster ${ns}/${cluster}`,
        );
      else
        deps.events.event(
          asObj(rc),
          'Normal',
          'DeletedPod',
          'Delete',
          a.why === 'suspend'
            ? `Deleted Pods of RayCluster ${ns}/${cluster} due to suspension`
            : `Deleted Pods of RayCluster ${ns}/${cluster} due to spec change with Recreate upgradeStrategy`,
        );
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
          deps.events.event(
            asObj(rc),
            'Warning',
            a.head ? 'FailedToDeleteHeadPod' : 'FailedToDeleteWorkerPod',
            'Delete',
            `Failed deleting ${a.head ? 'head' : 'worker'} Pod ${ns}/${a.name}; ${errorMessage(e)}`,
          );
          throw fail(a.head ? 'FailedDeleteHeadPod' : 'FailedDeleteWorkerPod', e);
        }
        return;
      }
      deps.expectations.expect(ns, cluster, group, a.name, 'delete', now());
      deps.events.event(
        asObj(rc),
        'Normal',
        a.head ? 'DeletedHeadPod' : 'DeletedWorkerPod',
        'Delete',
        `Deleted ${a.head ? 'head' : 'worker'} Pod ${ns}/${a.name}; reason: ${a.why}`,
      );
      return;
    }
    case 'createHead':
    case 'createWorker': {
      const head = a.type === 'createHead';
      const built = head
        ? buildHeadPod(rc, deps.config)
        : buildWorkerPod(rc, deps.config, a.groupIndex, a.index);
      const pod = addSchedulerMetadata(built, rc, deps.config.batchScheduler, head ? '' : a.group);
      try {
        const created = await deps.client.create(Resources.pods, asObj(pod));
        const name = created.metadata.name ?? '';
        deps.expectations.expect(ns, cluster, head ? '' : a.group, name, 'create', now());
        deps.events.event(
          asObj(rc),
          'Normal',
          head ? 'CreatedHeadPod' : 'CreatedWorkerPod',
          'Create',
          `Created ${head ? 'head' : 'worker'} Pod ${ns}/${name}`,
        );
      } catch (e) {
        deps.events.event(
          asObj(rc),
          'Warning',
          head ? 'FailedToCreateHeadPod' : 'FailedToCreateWorkerPod',
          'Create',
          `Failed to create ${head ? 'head' : 'worker'} Pod ${ns}/${pod.metadata.generateName ?? pod.metadata.name}, ${errorMessage(e)}`,
        );
        throw fail(head ? 'FailedCreateHeadPod' : 'FailedCreateWorkerPod', e);
      }
      return;
    }
  }
}
