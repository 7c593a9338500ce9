import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import {
  baseCluster,
  clusterPods,
  createCluster,
  getCluster,
  headPods,
  listServices,
  patchCluster,
  setAllRunning,
  startOperator,
  workerPods,
} from './harness.ts';

test('static cluster: head service, head pod with operator sidecar, 3 workers, ready, recreate deleted worker, clamp to max', async (t) => {
  const fluentbit = { name: 'fluentbit', image: 'fluent/fluent-bit:1.9.6' };
  const op = await startOperator(t, { headSidecarContainers: [fluentbit] });
  const rc = baseCluster('raycluster-static', op.ns);
  await createCluster(op, rc);

  // Scenario 1: head service and 3 workers.
  await eventually(async () => assert.ok((await listServices(op)).includes('raycluster-static-head-svc')));
  await eventually(async () => assert.equal((await workerPods(op, 'raycluster-static')).length, 3));

  // Scenario 2: the head pod has 2 containers, the last one the operator sidecar.
  const [head] = await headPods(op, 'raycluster-static');
  assert.ok(head);
  assert.deepEqual(
    head.spec.containers.map((c) => c.name),
    ['ray-head', 'fluentbit'],
  );

  // Scenario 3: Running pods -> state ready with a transition time.
  await setAllRunning(op, 'raycluster-static');
  await eventually(async () => {
    const got = await getCluster(op, 'raycluster-static');
    assert.equal(got.status?.state, 'ready');
    assert.ok(got.status?.stateTransitionTimes?.ready);
    assert.equal(got.status?.readyWorkerReplicas, 3);
    assert.equal(got.status?.desiredWorkerReplicas, 3);
  });

  // Scenario 4: a deleted worker is recreated.
  const [victim] = await workerPods(op, 'raycluster-static');
  await op.client.delete(Resources.pods, op.ns, victim!.metadata.name!);
  await eventually(async () => {
    const pods = await workerPods(op, 'raycluster-static');
    assert.equal(pods.length, 3);
    assert.ok(!pods.some((p) => p.metadata.name === victim!.metadata.name));
  });

  // Scenario 5: replicas above max are clamped to max (4).
  await patchCluster(op, 'raycluster-static', {
    spec: { workerGroupSpecs: [{ ...rc.spec.workerGroupSpecs![0], replicas: 5 }] },
  });
  await eventually(async () => assert.equal((await workerPods(op, 'raycluster-static')).length, 4));
  await eventually(async () =>
    assert.equal((await getCluster(op, 'raycluster-static')).status?.desiredWorkerReplicas, 4),
  );
  assert.equal((await clusterPods(op, 'raycluster-static')).length, 5);
});
