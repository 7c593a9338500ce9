import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import {
  baseCluster,
  createCluster,
  getCluster,
  listServices,
  patchCluster,
  setAllRunning,
  startOperator,
  workerPods,
} from './harness.ts';

test('multi-host groups: indices, status, scale down/up, atomic replacement, services (scenarios 16-19, 25)', async (t) => {
  const op = await startOperator(t);
  const name = `${'a'.repeat(21)}-multihost-cluster-name-53-chars`;
  assert.equal(name.length, 53);
  const rc = baseCluster(name, op.ns);
  rc.metadata.annotations = { 'ray.io/enable-serve-service': 'true' };
  rc.spec.headGroupSpec.template.spec.containers[0]!.ports = [
    { name: 'gcs-server', containerPort: 6379 },
    { name: 'dashboard', containerPort: 8265 },
    { name: 'serve', containerPort: 8000 },
  ];
  rc.spec.enableInTreeAutoscaling = true;
  const group = { ...rc.spec.workerGroupSpecs![0]!, numOfHosts: 4 };
  rc.spec.workerGroupSpecs = [group];
  await createCluster(op, rc);
  await eventually(async () => assert.equal((await workerPods(op, name)).length, 12));
  const pods = await workerPods(op, name);
  const replicas = new Map<string, string[]>();
  const indices = new Set<string>();
  for (const p of pods) {
    const l = p.metadata.labels ?? {};
    assert.ok(
      l['ray.io/worker-group-replica-index'] &&
        l['ray.io/worker-group-replica-name'] &&
        l['ray.io/replica-host-index'],
    );
    replicas.set(l['ray.io/worker-group-replica-name']!, [
      ...(replicas.get(l['ray.io/worker-group-replica-name']!) ?? []),
      l['ray.io/replica-host-index']!,
    ]);
    indices.add(l['ray.io/worker-group-replica-index']!);
  }
  assert.equal(replicas.size, 3);
  assert.deepEqual([...indices].sort(), ['0', '1', '2']);
  for (const hosts of replicas.values()) assert.deepEqual([...hosts].sort(), ['0', '1', '2', '3']);
  await eventually(async () => {
    const svcs = await listServices(op);
    for (const s of [`${name}-head-svc`, `${name}-serve-svc`, `${name}-headless`])
      assert.ok(svcs.includes(s), s);
  });

  await setAllRunning(op, name);
  await eventually(async () => {
    const got = await getCluster(op, name);
    assert.equal(got.status?.state, 'ready');
    assert.equal(got.status?.desiredWorkerReplicas, 12);
    assert.equal(got.status?.minWorkerReplicas, 0);
    assert.equal(got.status?.maxWorkerReplicas, 16);
  });

  const victims = [...replicas.keys()][0]!;
  const victimPods = pods
    .filter((p) => p.metadata.labels?.['ray.io/worker-group-replica-name'] === victims)
    .map((p) => p.metadata.name!);
  await patchCluster(op, name, {
    spec: { workerGroupSpecs: [{ ...group, replicas: 2, scaleStrategy: { workersToDelete: victimPods } }] },
  });
  await eventually(async () => {
    const now = await workerPods(op, name);
    assert.equal(now.length, 8);
    assert.ok(!now.some((p) => victimPods.includes(p.metadata.name!)));
  });
  await patchCluster(op, name, {
    spec: { workerGroupSpecs: [{ ...group, replicas: 4, scaleStrategy: { workersToDelete: [] } }] },
  });
  await eventually(async () => assert.equal((await workerPods(op, name)).length, 16));

  const [one] = await workerPods(op, name);
  const replicaOfOne = one!.metadata.labels?.['ray.io/worker-group-replica-name'];
  await op.client.delete(Resources.pods, op.ns, one!.metadata.name!);
  await eventually(async () => {
    const now = await workerPods(op, name);
    assert.equal(now.length, 16);
    assert.ok(!now.some((p) => p.metadata.labels?.['ray.io/worker-group-replica-name'] === replicaOfOne));
  });
});
