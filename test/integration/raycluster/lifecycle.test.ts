import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import {
  baseCluster,
  clusterPods,
  condition,
  createCluster,
  getCluster,
  listServices,
  patchCluster,
  startOperator,
  workerPods,
} from './harness.ts';

/**
 * The whole life of a cluster on KWOK nodes: the scheduler binds the pods, KWOK makes them Running and Ready,
 * and kube-controller-manager's garbage collector removes the children after the cluster is deleted.
 */
test('lifecycle on KWOK nodes: ready, scale, workersToDelete, suspend/resume, delete with GC', {
  timeout: 180_000,
}, async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('lifecycle', op.ns, { kwok: true });
  const group = rc.spec.workerGroupSpecs![0]!;
  await createCluster(op, rc);

  await eventually(
    async () => {
      const got = await getCluster(op, 'lifecycle');
      assert.equal(got.status?.state, 'ready');
      assert.equal(got.status?.readyWorkerReplicas, 3);
      assert.equal(condition(got, 'RayClusterProvisioned')?.status, 'True');
      assert.equal(condition(got, 'HeadPodReady')?.status, 'True');
      assert.ok(got.status?.head?.podIP);
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  const pods = await clusterPods(op, 'lifecycle');
  assert.ok(
    pods.every(
      (p) => String(p.spec.nodeName ?? '').startsWith('kwok-node-') && p.status?.phase === 'Running',
    ),
  );

  await patchCluster(op, 'lifecycle', { spec: { workerGroupSpecs: [{ ...group, replicas: 4 }] } });
  await eventually(
    async () => assert.equal((await getCluster(op, 'lifecycle')).status?.readyWorkerReplicas, 4),
    { timeoutMs: 30_000 },
  );

  const victim = (await workerPods(op, 'lifecycle'))[0]!.metadata.name!;
  await patchCluster(op, 'lifecycle', {
    spec: { workerGroupSpecs: [{ ...group, replicas: 3, scaleStrategy: { workersToDelete: [victim] } }] },
  });
  await eventually(
    async () => {
      const now = await workerPods(op, 'lifecycle');
      assert.equal(now.length, 3);
      assert.ok(!now.some((p) => p.metadata.name === victim));
    },
    { timeoutMs: 30_000 },
  );

  await patchCluster(op, 'lifecycle', { spec: { suspend: true } });
  await eventually(
    async () => {
      assert.equal((await clusterPods(op, 'lifecycle')).length, 0);
      assert.equal(condition(await getCluster(op, 'lifecycle'), 'RayClusterSuspended')?.status, 'True');
    },
    { timeoutMs: 60_000 },
  );
  await patchCluster(op, 'lifecycle', { spec: { suspend: false } });
  await eventually(
    async () => {
      const got = await getCluster(op, 'lifecycle');
      assert.equal(condition(got, 'RayClusterProvisioned')?.status, 'True');
      assert.equal(got.status?.readyWorkerReplicas, 3);
    },
    { timeoutMs: 60_000 },
  );

  assert.ok((await listServices(op)).includes('lifecycle-head-svc'));
  await op.client.delete(Resources.rayClusters, op.ns, 'lifecycle');
  await eventually(
    async () => {
      assert.equal((await clusterPods(op, 'lifecycle')).length, 0);
      assert.ok(!(await listServices(op)).includes('lifecycle-head-svc'));
    },
    { timeoutMs: 60_000 },
  );
});
