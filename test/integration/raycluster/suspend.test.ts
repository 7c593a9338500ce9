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
  listPods,
  patchCluster,
  setAllRunning,
  startOperator,
  workerPods,
} from './harness.ts';

const isTrue = (rc: Awaited<ReturnType<typeof getCluster>>, type: string) =>
  condition(rc, type)?.status === 'True';

test('suspend with the conditions gate off (scenario 11)', async (t) => {
  const op = await startOperator(t, { featureGates: { RayClusterStatusConditions: false } });
  await createCluster(op, baseCluster('suspend-nogate', op.ns));
  await eventually(async () => assert.equal((await clusterPods(op, 'suspend-nogate')).length, 4));
  await patchCluster(op, 'suspend-nogate', { spec: { suspend: true } });
  await eventually(async () => {
    assert.equal((await clusterPods(op, 'suspend-nogate')).length, 0);
    assert.equal((await getCluster(op, 'suspend-nogate')).status?.state, 'suspended');
  });
  assert.equal((await getCluster(op, 'suspend-nogate')).status?.conditions?.length ?? 0, 0);
  await patchCluster(op, 'suspend-nogate', { spec: { suspend: false } });
  await eventually(async () => assert.equal((await clusterPods(op, 'suspend-nogate')).length, 4));
  await setAllRunning(op, 'suspend-nogate');
  await eventually(async () => assert.equal((await getCluster(op, 'suspend-nogate')).status?.state, 'ready'));
});

test('suspend with the conditions gate on (scenario 12)', async (t) => {
  const op = await startOperator(t);
  await createCluster(op, baseCluster('suspend-gate', op.ns));
  await eventually(async () => assert.equal((await clusterPods(op, 'suspend-gate')).length, 4));
  await setAllRunning(op, 'suspend-gate');
  await eventually(async () =>
    assert.ok(isTrue(await getCluster(op, 'suspend-gate'), 'RayClusterProvisioned')),
  );
  await patchCluster(op, 'suspend-gate', { spec: { suspend: true } });
  await eventually(async () => {
    const rc = await getCluster(op, 'suspend-gate');
    assert.equal((await clusterPods(op, 'suspend-gate')).length, 0);
    assert.ok(isTrue(rc, 'RayClusterSuspended'));
    assert.ok(!isTrue(rc, 'RayClusterSuspending'));
    assert.equal(condition(rc, 'RayClusterProvisioned')?.status, 'False');
    assert.equal(rc.status?.head?.podName ?? '', '');
    assert.equal(rc.status?.state, 'suspended');
  });
  await patchCluster(op, 'suspend-gate', { spec: { suspend: false } });
  await eventually(async () => assert.equal((await clusterPods(op, 'suspend-gate')).length, 4));
  // Suspend again before the new pods run: still ends Suspended.
  await patchCluster(op, 'suspend-gate', { spec: { suspend: true } });
  await eventually(async () => {
    assert.equal((await clusterPods(op, 'suspend-gate')).length, 0);
    assert.ok(isTrue(await getCluster(op, 'suspend-gate'), 'RayClusterSuspended'));
  });
  await patchCluster(op, 'suspend-gate', { spec: { suspend: false } });
  await eventually(async () => assert.equal((await clusterPods(op, 'suspend-gate')).length, 4));
  await setAllRunning(op, 'suspend-gate');
  await eventually(async () => {
    const rc = await getCluster(op, 'suspend-gate');
    assert.ok(!isTrue(rc, 'RayClusterSuspended'));
    assert.ok(!isTrue(rc, 'RayClusterSuspending'));
    assert.ok(isTrue(rc, 'RayClusterProvisioned'));
    assert.ok(rc.status?.head?.podName);
  });
});

test('atomic suspend: un-suspending does not cancel a suspension in progress (scenario 13)', async (t) => {
  const op = await startOperator(t);
  const blocker = 'kuberay-ts.dev/test-blocker';
  await createCluster(op, baseCluster('suspend-atomic', op.ns));
  await eventually(async () => assert.equal((await clusterPods(op, 'suspend-atomic')).length, 4));
  const before = (await clusterPods(op, 'suspend-atomic')).map((p) => p.metadata.name);
  for (const name of before)
    await op.client.patch(Resources.pods, op.ns, name!, { metadata: { finalizers: [blocker] } });
  await patchCluster(op, 'suspend-atomic', { spec: { suspend: true } });
  await eventually(async () =>
    assert.ok(isTrue(await getCluster(op, 'suspend-atomic'), 'RayClusterSuspending')),
  );
  await patchCluster(op, 'suspend-atomic', { spec: { suspend: false } });
  await eventually(async () => {
    const terminating = await listPods(op, { 'ray.io/cluster': 'suspend-atomic' }, true);
    assert.equal(terminating.length, 4);
    assert.ok(terminating.every((p) => p.metadata.deletionTimestamp));
  });
  assert.ok(isTrue(await getCluster(op, 'suspend-atomic'), 'RayClusterSuspending'));
  for (const name of before)
    await op.client.patch(Resources.pods, op.ns, name!, { metadata: { finalizers: null } });
  await eventually(async () => {
    const rc = await getCluster(op, 'suspend-atomic');
    assert.ok(!isTrue(rc, 'RayClusterSuspending'));
    assert.ok(!isTrue(rc, 'RayClusterSuspended'));
    const now = (await clusterPods(op, 'suspend-atomic')).map((p) => p.metadata.name);
    assert.equal(now.length, 4);
    assert.ok(now.every((n) => !before.includes(n)));
  });
  await patchCluster(op, 'suspend-atomic', { spec: { suspend: true } });
  await eventually(async () => {
    assert.equal((await clusterPods(op, 'suspend-atomic')).length, 0);
    assert.ok(isTrue(await getCluster(op, 'suspend-atomic'), 'RayClusterSuspended'));
  });
});

test('worker group suspend deletes only that group; rejected with the autoscaler (scenarios 14, 15)', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('group-suspend', op.ns);
  await createCluster(op, rc);
  await eventually(async () => assert.equal((await workerPods(op, 'group-suspend')).length, 3));
  await patchCluster(op, 'group-suspend', {
    spec: { workerGroupSpecs: [{ ...rc.spec.workerGroupSpecs![0], suspend: true }] },
  });
  await eventually(async () => {
    assert.equal((await workerPods(op, 'group-suspend')).length, 0);
    assert.equal((await clusterPods(op, 'group-suspend')).length, 1);
  });

  const auto = baseCluster('group-suspend-auto', op.ns);
  auto.spec.enableInTreeAutoscaling = true;
  await createCluster(op, auto);
  await eventually(async () => assert.equal((await workerPods(op, 'group-suspend-auto')).length, 3));
  await patchCluster(op, 'group-suspend-auto', {
    spec: { workerGroupSpecs: [{ ...auto.spec.workerGroupSpecs![0], suspend: true }] },
  });
  await eventually(async () => {
    const got = await getCluster(op, 'group-suspend-auto');
    assert.equal(condition(got, 'InvalidSpec')?.reason, 'InvalidRayClusterSpec');
    assert.match(condition(got, 'InvalidSpec')?.message ?? '', /cannot be suspended with Autoscaler enabled/);
  });
  assert.equal((await workerPods(op, 'group-suspend-auto')).length, 3);
  assert.equal((await clusterPods(op, 'group-suspend-auto')).length, 4);
});
