import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Condition, ContainerStatus, Pod, RayCluster } from '../../api/index.ts';
import { clusterSpecHash, defaultBuilderConfig } from '../../builders/raycluster/index.ts';
import { type PodPlanInput, planPods } from './plan.ts';

function cluster(over: Partial<RayCluster['spec']> = {}, group: Record<string, unknown> = {}): RayCluster {
  const tpl = { spec: { containers: [{ name: 'ray' }] } };
  return {
    metadata: { name: 'c', namespace: 'ns', uid: 'u' },
    spec: {
      headGroupSpec: { template: tpl },
      workerGroupSpecs: [
        { groupName: 'g', replicas: 3, minReplicas: 0, maxReplicas: 4, template: tpl, ...group },
      ],
      ...over,
    },
  };
}

function pod(
  name: string,
  type: 'head' | 'worker',
  extra: Partial<Pod> & { labels?: Record<string, string> } = {},
): Pod {
  return {
    metadata: {
      name,
      labels: {
        'ray.io/cluster': 'c',
        'ray.io/node-type': type,
        'ray.io/group': type === 'head' ? 'headgroup' : 'g',
        ...extra.labels,
      },
    },
    spec: { containers: [{ name: 'ray' }], ...(extra.spec ?? {}) },
    status: extra.status ?? { phase: 'Running' },
  };
}

function plan(rc: RayCluster, pods: Pod[], over: Partial<PodPlanInput> = {}) {
  let n = 0;
  return planPods({
    rc,
    config: defaultBuilderConfig,
    pods,
    expectationsSatisfied: () => true,
    randomSuffix: () => `r${n++}`,
    ...over,
  });
}

const kinds = (phases: ReturnType<typeof plan>) => phases.flatMap((p) => p.actions.map((a) => a.type));

test('an empty cluster creates the head and the desired workers with replica indices', () => {
  const phases = plan(cluster(), []);
  assert.deepEqual(kinds(phases), ['createHead', 'createWorker', 'createWorker', 'createWorker']);
  const idx = phases[1]!.actions.map((a) => (a.type === 'createWorker' ? a.index.replicaIndex : -1));
  assert.deepEqual(idx, [0, 1, 2]);
});

test('replicas are clamped: nil -> min, above max -> max', () => {
  assert.equal(
    kinds(plan(cluster({}, { replicas: undefined, minReplicas: 2 }), [pod('h', 'head')])).length,
    2,
  );
  assert.equal(kinds(plan(cluster({}, { replicas: 9 }), [pod('h', 'head')])).length, 4);
});

test('scale down without the autoscaler deletes the first pods; with it, only workersToDelete', () => {
  const pods = [
    pod('h', 'head'),
    pod('w1', 'worker'),
    pod('w2', 'worker'),
    pod('w3', 'worker'),
    pod('w4', 'worker'),
  ];
  const down = plan(cluster({}, { replicas: 2 }), pods);
  assert.deepEqual(
    down[0]!.actions.map((a) => (a.type === 'deletePod' ? a.name : '')),
    ['w1', 'w2'],
  );
  const auto = plan(
    cluster(
      { enableInTreeAutoscaling: true },
      { replicas: 2, scaleStrategy: { workersToDelete: ['w3', 'gone'] } },
    ),
    pods,
  );
  assert.deepEqual(
    auto[0]!.actions.map((a) => (a.type === 'deletePod' ? a.name : '')),
    ['w3'],
  );
  const random = plan(
    cluster({ enableInTreeAutoscaling: true }, { replicas: 2, scaleStrategy: { workersToDelete: ['w3'] } }),
    pods,
    {
      config: { ...defaultBuilderConfig, randomPodDelete: true },
    },
  );
  assert.deepEqual(
    random[0]!.actions.map((a) => (a.type === 'deletePod' ? a.name : '')),
    ['w3', 'w1'],
  );
});

test('unhealthy workers are deleted first and nothing is created in that pass', () => {
  const failed = pod('w1', 'worker', { status: { phase: 'Failed' } });
  const phases = plan(cluster(), [pod('h', 'head'), failed]);
  assert.equal(phases.at(-1)!.thenError, 'delete 1 unhealthy worker Pods');
  assert.deepEqual(kinds(phases), ['deletePod']);
});

test('a terminated Ray container is replaced only under restartPolicy Never', () => {
  const dead = {
    phase: 'Running',
    containerStatuses: [{ name: 'ray', state: { terminated: { exitCode: 1 } } } as ContainerStatus],
  };
  const always = pod('h', 'head', { status: dead });
  assert.deepEqual(kinds(plan(cluster({}, { replicas: 0 }), [always])), []);
  const never = pod('h', 'head', {
    status: dead,
    spec: { containers: [{ name: 'ray' }], restartPolicy: 'Never' },
  });
  const phases = plan(cluster({}, { replicas: 0 }), [never]);
  assert.deepEqual(kinds(phases), ['deletePod']);
  assert.ok(phases[0]!.thenError);
});

test('two head pods is an error; unsatisfied expectations skip the group', () => {
  assert.match(
    plan(cluster(), [pod('h1', 'head'), pod('h2', 'head')])[0]!.thenError ?? '',
    /2 head pods found/,
  );
  const phases = plan(cluster(), [], { expectationsSatisfied: (g) => g === '' });
  assert.deepEqual(kinds(phases), ['createHead']);
});

test('suspend: gate on sets Suspending first, deletes while Suspending; gate off deletes at once', () => {
  assert.deepEqual(plan(cluster({ suspend: true }), [pod('h', 'head')]), [{ actions: [], stop: true }]);
  const suspending = cluster({ suspend: false });
  suspending.status = {
    conditions: [
      { type: 'RayClusterSuspending', status: 'True', reason: 'RayClusterSuspending', message: '' },
    ] as Condition[],
  };
  assert.deepEqual(kinds(plan(suspending, [pod('h', 'head')])), ['deleteCollection']);
  const off = plan(cluster({ suspend: true }), [pod('h', 'head')], {
    config: { ...defaultBuilderConfig, featureGates: { RayClusterStatusConditions: false } },
  });
  assert.deepEqual(kinds(off), ['deleteCollection']);
});

test('Recreate: a hash change wipes every pod; an operator version change only re-annotates', () => {
  const head = pod('h', 'head');
  head.metadata.annotations = {
    'ray.io/upgrade-strategy-recreate-hash': 'OLD',
    'ray.io/kuberay-version': 'nightly',
  };
  const wipe = plan(cluster({ upgradeStrategy: { type: 'Recreate' } }), [head]);
  assert.deepEqual(wipe, [
    {
      actions: [{ type: 'deleteCollection', selector: { 'ray.io/cluster': 'c' }, why: 'recreate' }],
      stop: true,
      clearExpectations: true,
    },
  ]);
  head.metadata.annotations['ray.io/kuberay-version'] = 'v1.4.0';
  const reannotate = plan(cluster({ upgradeStrategy: { type: 'Recreate' } }, { replicas: 0 }), [head]);
  assert.deepEqual(reannotate[0]!.actions, [
    {
      type: 'annotateHead',
      name: 'h',
      annotations: {
        'ray.io/kuberay-version': defaultBuilderConfig.kuberayVersion,
        'ray.io/upgrade-strategy-recreate-hash': clusterSpecHash(
          cluster({ upgradeStrategy: { type: 'Recreate' } }, { replicas: 0 }),
        ),
      },
    },
  ]);
  // The head already carries this spec's hash and this operator's version: nothing to wipe or re-annotate.
  const same = cluster({ upgradeStrategy: { type: 'Recreate' } }, { replicas: 0 });
  head.metadata.annotations = {
    'ray.io/upgrade-strategy-recreate-hash': clusterSpecHash(same),
    'ray.io/kuberay-version': defaultBuilderConfig.kuberayVersion,
  };
  assert.ok(!kinds(plan(same, [head])).includes('deleteCollection'));
  assert.ok(!kinds(plan(same, [head])).includes('annotateHead'));
});

test('multi-host: whole replicas are created and incomplete ones removed', () => {
  const phases = plan(cluster({}, { replicas: 2, numOfHosts: 2 }), [pod('h', 'head')]);
  const creates = phases.at(-1)!.actions.flatMap((a) => (a.type === 'createWorker' ? [a.index] : []));
  assert.deepEqual(creates, [
    { replicaIndex: 0, replicaName: 'g-r0', hostIndex: 0 },
    { replicaIndex: 0, replicaName: 'g-r0', hostIndex: 1 },
    { replicaIndex: 1, replicaName: 'g-r1', hostIndex: 0 },
    { replicaIndex: 1, replicaName: 'g-r1', hostIndex: 1 },
  ]);
  const lone = pod('w', 'worker', {
    labels: { 'ray.io/worker-group-replica-name': 'g-x', 'ray.io/worker-group-replica-index': '0' },
  });
  const fix = plan(cluster({}, { replicas: 1, numOfHosts: 2 }), [pod('h', 'head'), lone]);
  assert.match(fix.at(-1)!.thenError ?? '', /incomplete replica/);
});

test('a provisioned cluster whose head is gone: a new head, unless its annotation or v1.5.0 says no', () => {
  const provisioned = (labels: Record<string, string>, annotations: Record<string, string> = {}) => {
    const rc = cluster();
    rc.metadata.labels = labels;
    rc.metadata.annotations = annotations;
    rc.status = {
      conditions: [
        {
          type: 'RayClusterProvisioned',
          status: 'True',
          reason: 'AllPodRunningAndReadyFirstTime',
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    return kinds(plan(rc, [pod('w1', 'worker'), pod('w2', 'worker'), pod('w3', 'worker')]));
  };
  assert.deepEqual(provisioned({}), ['createHead']);
  // A RayJob's cluster made by kuberay-ts (labelled with its submission mode): K8sJobMode gets a new head ...
  assert.deepEqual(
    provisioned({ 'ray.io/originated-from-crd': 'RayJob', 'ray.io/job-submission-mode': 'K8sJobMode' }),
    ['createHead'],
  );
  // ... SidecarMode's annotation says no.
  assert.deepEqual(
    provisioned(
      { 'ray.io/originated-from-crd': 'RayJob', 'ray.io/job-submission-mode': 'SidecarMode' },
      { 'ray.io/disable-provisioned-head-restart': 'true' },
    ),
    [],
  );
  // Made by KubeRay v1.5.0 (no submission-mode label): v1.5.0's rule, no new head for a RayJob's cluster.
  assert.deepEqual(provisioned({ 'ray.io/originated-from-crd': 'RayJob' }), []);
});
