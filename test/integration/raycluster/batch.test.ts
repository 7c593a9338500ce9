import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import {
  installStandInCrds,
  schedulerPluginsPodGroupKind,
  volcanoPodGroupKind,
} from '../../support/standin-crds.ts';
import {
  baseCluster,
  clusterPods,
  condition,
  createCluster,
  getCluster,
  headPods,
  patchCluster,
  startOperator,
} from './harness.ts';

test('YuniKorn gang scheduling: every pod carries the task groups and its own task-group name', async (t) => {
  const op = await startOperator(t, { batchScheduler: 'yunikorn' });
  const rc = baseCluster('yk', op.ns);
  rc.metadata.labels = {
    'ray.io/gang-scheduling-enabled': 'true',
    'yunikorn.apache.org/app-id': 'app-1',
    'yunikorn.apache.org/queue': 'root.q',
  };
  rc.spec.workerGroupSpecs![0]!.minReplicas = 2;
  await createCluster(op, rc);
  const pods = await eventually(async () => {
    const p = await clusterPods(op, 'yk');
    assert.equal(p.length, 4);
    return p;
  });
  for (const p of pods) {
    assert.equal(p.spec.schedulerName, 'yunikorn');
    assert.equal(p.metadata.labels?.applicationId, 'app-1');
    assert.equal(p.metadata.labels?.queue, 'root.q');
    const groups = JSON.parse(p.metadata.annotations?.['yunikorn.apache.org/task-groups'] ?? '[]');
    assert.deepEqual(
      groups.map((g: { name: string; minMember: number }) => [g.name, g.minMember]),
      [
        ['headgroup', 1],
        ['small-group', 2],
      ],
    );
    const expected = p.metadata.labels?.['ray.io/node-type'] === 'head' ? 'headgroup' : 'small-group';
    assert.equal(p.metadata.annotations?.['yunikorn.apache.org/task-group-name'], expected);
  }
});

test('KubernetesWAS on a control plane without scheduling.k8s.io/v1alpha2: a Warning event, InvalidSpec, no pods', async (t) => {
  const op = await startOperator(t, {
    batchScheduler: 'kubernetes-was',
    featureGates: { KubernetesWAS: true },
  });
  assert.equal(await op.client.hasResource('scheduling.k8s.io', 'v1alpha2', 'workloads'), false);
  const rc = baseCluster('was', op.ns);
  rc.metadata.labels = { 'ray.io/gang-scheduling-enabled': 'true' };
  await createCluster(op, rc);
  const event = await eventually(async () => {
    const list = await op.client.list(Resources.events, { namespace: op.ns });
    const e = list.items.find((x) => x.reason === 'KubernetesWASUnavailable');
    assert.ok(e, 'no KubernetesWASUnavailable event yet');
    return e as KubeObject & { message?: string; note?: string };
  });
  assert.match(String(event.message ?? event.note), /scheduling\.k8s\.io\/v1alpha2/);
  await eventually(async () => {
    const c = condition(await getCluster(op, 'was'), 'InvalidSpec');
    assert.equal(c?.status, 'True');
    assert.equal(c?.reason, 'KubernetesWASUnavailable');
  });
  assert.equal((await headPods(op, 'was')).length, 0);

  // A cluster that does not ask for gang scheduling is not held back.
  await createCluster(op, baseCluster('plain', op.ns));
  await eventually(async () => assert.equal((await clusterPods(op, 'plain')).length, 4));
  assert.equal((await clusterPods(op, 'was')).length, 0);
});

test('Volcano: a standalone cluster gets its own PodGroup; a RayJob cluster leaves the RayJob PodGroup alone', async (t) => {
  const op = await startOperator(t, { batchScheduler: 'volcano' });
  await installStandInCrds(op.client.rest, [volcanoPodGroupKind]);
  type PodGroup = KubeObject & { spec: { minMember: number; queue?: string } };

  const rc = baseCluster('vc', op.ns);
  rc.metadata.labels = { 'volcano.sh/queue-name': 'q1' };
  await createCluster(op, rc);
  const own = await eventually(
    () => op.client.get(Resources.volcanoPodGroups, op.ns, 'ray-vc-pg') as Promise<PodGroup>,
  );
  assert.equal(own.spec.queue, 'q1');
  assert.deepEqual(
    own.metadata.ownerReferences?.map((o) => [o.kind, o.name]),
    [['RayCluster', 'vc']],
  );

  // The RayJob controller's PodGroup for RayJob `job1` (played here), then the cluster that RayJob made.
  const jobGroup = {
    apiVersion: 'scheduling.volcano.sh/v1beta1',
    kind: 'PodGroup',
    metadata: { name: 'ray-job1-pg', namespace: op.ns },
    spec: { minMember: 7, minResources: { cpu: '9' } },
  } as unknown as KubeObject;
  const created = await op.client.create(Resources.volcanoPodGroups, jobGroup);
  const fromJob = baseCluster('job1-raycluster-x', op.ns);
  fromJob.metadata.labels = {
    'ray.io/originated-from-crd': 'RayJob',
    'ray.io/originated-from-cr-name': 'job1',
  };
  await createCluster(op, fromJob);
  const pods = await eventually(async () => {
    const p = await clusterPods(op, 'job1-raycluster-x');
    assert.ok(p.length >= 2);
    return p;
  });
  for (const p of pods) {
    assert.equal(p.spec.schedulerName, 'volcano');
    assert.equal(p.metadata.annotations?.['scheduling.k8s.io/group-name'], 'ray-job1-pg');
  }
  const after = (await op.client.get(Resources.volcanoPodGroups, op.ns, 'ray-job1-pg')) as PodGroup;
  assert.equal(after.metadata.resourceVersion, created.metadata.resourceVersion, 'the cluster rewrote it');
  assert.equal(after.spec.minMember, 7);
});

test('scheduler-plugins: a gang-scheduled cluster gets its PodGroup (applied), resized when the workers change', async (t) => {
  const op = await startOperator(t, { batchScheduler: 'scheduler-plugins' });
  await installStandInCrds(op.client.rest, [schedulerPluginsPodGroupKind]);
  const podGroups = {
    group: 'scheduling.x-k8s.io',
    version: 'v1alpha1',
    plural: 'podgroups',
    kind: 'PodGroup',
    namespaced: true,
  } as const;
  type PodGroup = KubeObject & { spec: { minMember: number; minResources: Record<string, string> } };

  const rc = baseCluster('sp', op.ns);
  rc.metadata.labels = { 'ray.io/gang-scheduling-enabled': 'true' };
  await createCluster(op, rc);
  const pg = await eventually(() => op.client.get(podGroups, op.ns, 'sp') as Promise<PodGroup>);
  // 1 head + 3 workers, each asking for 1 CPU and 1Gi.
  assert.equal(pg.spec.minMember, 4);
  assert.deepEqual(pg.spec.minResources, { cpu: '4', memory: '4Gi' });
  assert.deepEqual(
    pg.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.controller]),
    [['RayCluster', 'sp', true]],
  );
  const pods = await eventually(async () => {
    const p = await clusterPods(op, 'sp');
    assert.equal(p.length, 4);
    return p;
  });
  for (const p of pods) {
    assert.equal(p.spec.schedulerName, 'scheduler-plugins-scheduler');
    assert.equal(p.metadata.labels?.['scheduling.x-k8s.io/pod-group'], 'sp');
  }

  // One worker fewer: the PodGroup follows (a server-side apply of the new shape).
  await patchCluster(op, 'sp', {
    spec: { workerGroupSpecs: [{ ...rc.spec.workerGroupSpecs![0], replicas: 2 }] },
  });
  await eventually(async () => {
    const now = (await op.client.get(podGroups, op.ns, 'sp')) as PodGroup;
    assert.equal(now.spec.minMember, 3);
    assert.deepEqual(now.spec.minResources, { cpu: '3', memory: '3Gi' });
  });

  // Without the gang label: no PodGroup, no pod-group label.
  await createCluster(op, baseCluster('plain', op.ns));
  await eventually(async () => assert.equal((await clusterPods(op, 'plain')).length, 4));
  assert.equal(await op.client.getOrUndefined(podGroups, op.ns, 'plain'), undefined);
  for (const p of await clusterPods(op, 'plain'))
    assert.equal(p.metadata.labels?.['scheduling.x-k8s.io/pod-group'], undefined);
});
