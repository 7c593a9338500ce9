import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import {
  baseCluster,
  createCluster,
  getCluster,
  headPods,
  patchCluster,
  startOperator,
  workerPods,
} from './harness.ts';

test('autoscaler: RBAC objects, workersToDelete scale-down, scale-up (scenarios 8-10)', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('raycluster-autoscaler', op.ns);
  rc.spec.enableInTreeAutoscaling = true;
  await createCluster(op, rc);
  await eventually(async () => {
    for (const type of [Resources.serviceAccounts, Resources.roles, Resources.roleBindings])
      assert.ok(await op.client.getOrUndefined(type, op.ns, 'raycluster-autoscaler'), `${type.kind} missing`);
  });
  await eventually(async () => assert.equal((await workerPods(op, 'raycluster-autoscaler')).length, 3));
  const [head] = await headPods(op, 'raycluster-autoscaler');
  assert.deepEqual(
    head!.spec.containers.map((c) => c.name),
    ['ray-head', 'autoscaler'],
  );
  assert.equal(head!.spec.serviceAccountName, 'raycluster-autoscaler');

  const workers = await workerPods(op, 'raycluster-autoscaler');
  const victim = workers[0]!.metadata.name!;
  const group = rc.spec.workerGroupSpecs![0]!;
  await patchCluster(op, 'raycluster-autoscaler', {
    spec: { workerGroupSpecs: [{ ...group, replicas: 2, scaleStrategy: { workersToDelete: [victim] } }] },
  });
  await eventually(async () => {
    const now = await workerPods(op, 'raycluster-autoscaler');
    assert.equal(now.length, 2);
    assert.ok(!now.some((p) => p.metadata.name === victim));
  });
  await patchCluster(op, 'raycluster-autoscaler', {
    spec: { workerGroupSpecs: [{ ...group, replicas: 2, scaleStrategy: { workersToDelete: [] } }] },
  });
  // With the autoscaler on, the operator never picks victims: replicas 1 leaves 2 pods.
  await patchCluster(op, 'raycluster-autoscaler', {
    spec: { workerGroupSpecs: [{ ...group, replicas: 1 }] },
  });
  await patchCluster(op, 'raycluster-autoscaler', {
    spec: { workerGroupSpecs: [{ ...group, replicas: 4 }] },
  });
  await eventually(async () => assert.equal((await workerPods(op, 'raycluster-autoscaler')).length, 4));
});

test('a user-named autoscaler ServiceAccount that does not exist is reported in a condition', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('missing-sa', op.ns);
  rc.spec.enableInTreeAutoscaling = true;
  rc.spec.headGroupSpec.template.spec.serviceAccountName = 'my-sa';
  await createCluster(op, rc);
  await eventually(async () => {
    const got = await getCluster(op, 'missing-sa');
    const c = got.status?.conditions?.find((x) => x.type === 'InvalidSpec');
    assert.equal(c?.reason, 'AutoscalerServiceAccountNotFound');
  });
  assert.equal((await headPods(op, 'missing-sa')).length, 0);
  await op.client.create(Resources.serviceAccounts, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'my-sa', namespace: op.ns },
  });
  await eventually(
    async () => {
      const got = await getCluster(op, 'missing-sa');
      assert.equal(
        got.status?.conditions?.find((x) => x.type === 'InvalidSpec'),
        undefined,
      );
      assert.equal((await headPods(op, 'missing-sa')).length, 1);
    },
    { timeoutMs: 30_000 },
  );
});
