import type { RayCluster } from '../../api/index.ts';
import {
  annotation,
  buildHeadPod,
  buildRedisCleanupJob,
  gcsFtEnabled,
  label,
  redisCleanupFinalizer,
  rocksDbBackend,
} from '../../builders/raycluster/index.ts';
import { ApiError } from '../../k8s/api-error.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import { ensureFinalizer, hasFinalizer, removeFinalizer } from '../../runtime/finalizers.ts';
import { headPodSelector } from '../common/selectors.ts';
import type { RayClusterDeps } from './deps.ts';
import { createdRedisCleanupJobMessage, failedToCreateRedisCleanupJobMessage } from './messages.ts';

const defaultTimeoutSeconds = 300;

/** `ray.io/gcs-ft-deletion-timeout`: positive integer seconds, else 300. */
export function deletionTimeoutSeconds(rc: RayCluster): number {
  const raw = rc.metadata.annotations?.[annotation.gcsFtDeletionTimeout];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return defaultTimeoutSeconds;
  const n = Number(raw.trim());
  return n > 0 ? n : defaultTimeoutSeconds;
}

export function redisCleanupApplies(rc: RayCluster, cleanupEnabled: boolean): boolean {
  return gcsFtEnabled(rc) && !rocksDbBackend(rc) && cleanupEnabled;
}

/** The result of the finalizer step: `continue` runs the rest of the reconcile, otherwise return this. */
type FinalizerResult = { continue: true } | { continue: false; requeueAfterMs?: number };

function finished(job: KubeObject): boolean {
  const conds =
    (job as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
  return conds.some(
    (c) =>
      (c.type === 'Complete' || c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True',
  );
}

const dropFinalizer = (deps: RayClusterDeps, rc: RayCluster) =>
  removeFinalizer(deps.client, Resources.rayClusters, rc, redisCleanupFinalizer);

/** The Redis cleanup finalizer and deletion flow. */
export async function reconcileFinalizer(deps: RayClusterDeps, rc: RayCluster): Promise<FinalizerResult> {
  const has = hasFinalizer(rc, redisCleanupFinalizer);
  const applies = redisCleanupApplies(rc, deps.config.gcsFtRedisCleanup);
  if (!rc.metadata.deletionTimestamp) {
    if (applies && !has) {
      await ensureFinalizer(deps.client, Resources.rayClusters, rc, redisCleanupFinalizer);
      return { continue: false, requeueAfterMs: 2000 };
    }
    return { continue: true };
  }
  if (!has) return { continue: false };
  if (rocksDbBackend(rc) || !applies) {
    await dropFinalizer(deps, rc);
    return { continue: false };
  }
  const ns = rc.metadata.namespace ?? '';
  const cluster = rc.metadata.name ?? '';
  const headPods = deps.pods.list({
    namespace: ns,
    labelSelector: headPodSelector(cluster),
  });
  for (const nodeType of ['head', 'worker']) {
    await deps.client.deleteCollection(Resources.pods, {
      namespace: ns,
      labelSelector: { [label.cluster]: cluster, [label.nodeType]: nodeType },
    });
  }
  if (headPods.length > 0) return { continue: false, requeueAfterMs: 10_000 };
  const jobs = await deps.client.list(Resources.jobs, {
    namespace: ns,
    labelSelector: { [label.cluster]: cluster, [label.nodeType]: 'redis-cleanup' },
  });
  const deletedAt = Date.parse(rc.metadata.deletionTimestamp);
  if (deps.clock.now() - deletedAt >= deletionTimeoutSeconds(rc) * 1000) {
    await dropFinalizer(deps, rc);
    deps.events.record(rc, {
      type: 'Warning',
      reason: 'ForceDeletedStuckCluster',
      action: 'Cleanup',
      message: `RayCluster ${ns}/${cluster} was stuck in deletion for more than ${deletionTimeoutSeconds(rc)}s; the finalizer ${redisCleanupFinalizer} was removed without cleaning up Redis`,
    });
    return { continue: false };
  }
  const job = jobs.items[0];
  if (job) {
    if (!finished(job)) return { continue: false, requeueAfterMs: 2000 };
    await dropFinalizer(deps, rc);
    return { continue: false };
  }
  const desired = buildRedisCleanupJob(rc, buildHeadPod(rc, deps.config), deps.config.loginShell);
  try {
    await deps.client.create(Resources.jobs, desired);
    deps.events.record(rc, {
      type: 'Normal',
      reason: 'CreatedRedisCleanupJob',
      action: 'Create',
      message: createdRedisCleanupJobMessage(ns, desired.metadata.name ?? ''),
    });
  } catch (e) {
    if (!(e instanceof ApiError && e.isAlreadyExists()))
      deps.events.record(rc, {
        type: 'Warning',
        reason: 'FailedToCreateRedisCleanupJob',
        action: 'Create',
        message: failedToCreateRedisCleanupJobMessage(ns, desired.metadata.name ?? '', e),
      });
  }
  return { continue: false, requeueAfterMs: 2000 };
}
