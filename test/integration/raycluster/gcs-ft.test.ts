import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rayPodSelector } from '../../../src/controllers/raycluster/controller.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { systemClock } from '../../../src/lib/clock.ts';
import { eventually } from '../../support/cluster.ts';
import { baseCluster, clusterPods, createCluster, getCluster, startOperator } from './harness.ts';

const finalizer = 'ray.io/gcs-ft-redis-cleanup-finalizer';

test('Redis FT: the finalizer is added, deletion creates the cleanup Job', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('ft-cleanup', op.ns);
  rc.metadata.annotations = { 'ray.io/ft-enabled': 'true' };
  await createCluster(op, rc);
  await eventually(async () =>
    assert.ok((await getCluster(op, 'ft-cleanup')).metadata.finalizers?.includes(finalizer)),
  );
  await eventually(async () => assert.equal((await clusterPods(op, 'ft-cleanup')).length, 4));
  const [head] = (await clusterPods(op, 'ft-cleanup')).filter(
    (p) => p.metadata.labels?.['ray.io/node-type'] === 'head',
  );
  assert.equal(head!.metadata.annotations?.['ray.io/ft-enabled'], 'true');
  assert.ok(head!.metadata.annotations?.['ray.io/external-storage-namespace']);
  await op.client.delete(Resources.rayClusters, op.ns, 'ft-cleanup');
  await eventually(
    async () => {
      const job = await op.client.getOrUndefined(Resources.jobs, op.ns, 'ft-cleanup-redis-cleanup');
      assert.ok(job, 'cleanup job not created');
      assert.equal(job.metadata.labels?.['ray.io/node-type'], 'redis-cleanup');
    },
    { timeoutMs: 30_000 },
  );
  assert.ok((await getCluster(op, 'ft-cleanup')).metadata.finalizers?.includes(finalizer));
  await op.client.patch(Resources.rayClusters, op.ns, 'ft-cleanup', { metadata: { finalizers: null } });
});

test('a stuck finalizer is force-removed after the deletion timeout (scenarios 29-31)', async (t) => {
  // The operator's clock runs 20 minutes ahead, so the deletionTimestamp looks 20 minutes old to it.
  const ahead = { ...systemClock, now: () => Date.now() + 20 * 60_000 };
  const op = await startOperator(t, {}, 2, ahead);
  const rc = baseCluster('ft-stuck', op.ns);
  rc.metadata.annotations = { 'ray.io/ft-enabled': 'true', 'ray.io/gcs-ft-deletion-timeout': '600' };
  await createCluster(op, rc);
  await eventually(async () =>
    assert.ok((await getCluster(op, 'ft-stuck')).metadata.finalizers?.includes(finalizer)),
  );
  await eventually(async () => assert.equal((await clusterPods(op, 'ft-stuck')).length, 4));
  await op.client.delete(Resources.rayClusters, op.ns, 'ft-stuck');
  await eventually(
    async () =>
      assert.equal(await op.client.getOrUndefined(Resources.rayClusters, op.ns, 'ft-stuck'), undefined),
    {
      timeoutMs: 30_000,
    },
  );
  const jobs = await op.client.list(Resources.jobs, { namespace: op.ns });
  assert.equal(jobs.items.length, 0, 'force removal must not need the cleanup Job');
});

test('the pod cache holds only Ray pods (scenario 27)', async (t) => {
  const op = await startOperator(t);
  await createCluster(op, {
    ...baseCluster('cache-check', op.ns),
    spec: {
      ...baseCluster('cache-check', op.ns).spec,
      workerGroupSpecs: [{ ...baseCluster('x', op.ns).spec.workerGroupSpecs![0]!, replicas: 1 }],
    },
  });
  await op.client.create(Resources.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'unrelated', namespace: op.ns },
    spec: { schedulerName: 'none', containers: [{ name: 'c', image: 'busybox' }] },
  });
  await eventually(async () => assert.equal((await clusterPods(op, 'cache-check')).length, 2));
  assert.ok(await op.client.getOrUndefined(Resources.pods, op.ns, 'unrelated'));
  const cache = op.informers.informerFor(Resources.pods, { labelSelector: rayPodSelector });
  await eventually(() => assert.equal(cache.list({ namespace: op.ns }).length, 2));
  assert.equal(cache.get(op.ns, 'unrelated'), undefined);
  for (const p of cache.list({ namespace: op.ns }))
    assert.ok(['head', 'worker', 'redis-cleanup'].includes(p.metadata.labels?.['ray.io/node-type'] ?? ''));
});
