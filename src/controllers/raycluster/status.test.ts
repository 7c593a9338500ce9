import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, RayCluster, Service } from '../../api/index.ts';
import { calculateStatus, onlyReadyCountsChanged, statusChanged } from './status.ts';

const tpl = (cpu: string, memory: string) => ({
  spec: { containers: [{ name: 'ray', resources: { limits: { cpu, memory } } }] },
});
const rc = (over: Partial<RayCluster['spec']> = {}): RayCluster => ({
  metadata: { name: 'c', namespace: 'ns', generation: 7 },
  spec: {
    headGroupSpec: { template: tpl('1', '1Gi') },
    workerGroupSpecs: [
      { groupName: 'a', replicas: 3, minReplicas: 1, maxReplicas: 5, template: tpl('1', '1Gi') },
      {
        groupName: 'b',
        replicas: 2,
        minReplicas: 0,
        maxReplicas: 2,
        numOfHosts: 2,
        suspend: true,
        template: tpl('2', '2Gi'),
      },
    ],
    ...over,
  },
});
const running = (name: string, type: string, ready = true): Pod => ({
  metadata: { name, labels: { 'ray.io/node-type': type } },
  spec: { containers: [{ name: 'ray' }] },
  status: {
    phase: 'Running',
    podIP: `10.0.0.${name.length}`,
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
  },
});
const headless: Service = {
  metadata: { name: 'c-head-svc' },
  spec: { clusterIP: 'None', ports: [{ name: 'dashboard', port: 8265, targetPort: 8265 }] },
};
const pods = [
  running('head', 'head'),
  running('w1', 'worker'),
  running('w2', 'worker'),
  running('w3', 'worker'),
];

function calc(
  cluster: RayCluster,
  p: Pod[],
  error?: { message: string; replicaFailure?: 'FailedCreateWorkerPod' },
) {
  const r = calculateStatus({
    rc: cluster,
    pods: p,
    headServices: [headless],
    error,
    now: '2026-01-01T00:00:00Z',
    conditionsGate: true,
  });
  if ('error' in r) throw new Error(r.error);
  return r.status;
}

test('counts, desired resources and suspended groups', () => {
  const s = calc(rc(), pods);
  assert.equal(s.observedGeneration, 7);
  assert.equal(s.desiredWorkerReplicas, 3);
  assert.equal(s.minWorkerReplicas, 1);
  assert.equal(s.maxWorkerReplicas, 5);
  assert.equal(s.readyWorkerReplicas, 3);
  assert.equal(s.desiredCPU, '4');
  assert.equal(s.desiredMemory, '4Gi');
  assert.equal(s.state, 'ready');
  assert.equal(s.stateTransitionTimes?.ready, '2026-01-01T00:00:00Z');
  assert.deepEqual(s.head, {
    podIP: pods[0]!.status!.podIP,
    podName: 'head',
    serviceIP: pods[0]!.status!.podIP,
    serviceName: 'c-head-svc',
  });
  assert.deepEqual(s.endpoints, { dashboard: '8265' });
});

test('ready needs every pod, Provisioned is sticky, HeadPodReady follows the head', () => {
  const partial = calc(rc(), pods.slice(0, 3));
  assert.equal(partial.state, undefined);
  // Every pod in the cache is ready, but not every desired pod exists yet (just created, not yet seen).
  const provisioned = partial.conditions?.find((c) => c.type === 'RayClusterProvisioned');
  assert.equal(provisioned?.status, 'False');
  assert.equal(provisioned?.reason, 'RayClusterPodsProvisioning');
  const cluster = rc();
  cluster.status = calc(cluster, pods);
  const later = calc(cluster, [running('head', 'head', false), ...pods.slice(1)]);
  assert.equal(later.conditions?.find((c) => c.type === 'RayClusterProvisioned')?.status, 'True');
  assert.equal(later.conditions?.find((c) => c.type === 'HeadPodReady')?.status, 'False');
  assert.equal(later.state, 'ready');
});

test('ReplicaFailure is set from a marked error and removed after a clean pass', () => {
  const cluster = rc();
  cluster.status = calc(cluster, pods, { message: 'boom', replicaFailure: 'FailedCreateWorkerPod' });
  assert.equal(
    cluster.status.conditions?.find((c) => c.type === 'ReplicaFailure')?.reason,
    'FailedCreateWorkerPod',
  );
  const clean = calc(cluster, pods);
  assert.equal(
    clean.conditions?.find((c) => c.type === 'ReplicaFailure'),
    undefined,
  );
});

test('no head service: the status is not computed', () => {
  const r = calculateStatus({
    rc: rc(),
    pods,
    headServices: [],
    error: undefined,
    now: 'x',
    conditionsGate: true,
  });
  assert.ok('error' in r);
});

test('only meaningful changes count as a status change', () => {
  const s = calc(rc(), pods);
  assert.equal(
    statusChanged(s, { ...s, lastUpdateTime: 'later', desiredCPU: '9', observedGeneration: 8 }),
    false,
  );
  assert.equal(statusChanged(s, { ...s, readyWorkerReplicas: 1 }), true);
  assert.equal(statusChanged(s, { ...s, conditions: [] }), true);
});

test('a change of only the ready/available counts is told apart from one a reader acts on', () => {
  const s = calc(rc(), pods);
  const counts = { readyWorkerReplicas: 7, availableWorkerReplicas: 7 };
  assert.equal(onlyReadyCountsChanged(s, { ...s, ...counts }), true);
  assert.equal(onlyReadyCountsChanged(s, { ...s, ...counts, state: 'suspended' }), false);
  assert.equal(onlyReadyCountsChanged(s, { ...s, ...counts, desiredWorkerReplicas: 9 }), false);
  assert.equal(onlyReadyCountsChanged(s, { ...s, ...counts, conditions: [] }), false);
  assert.equal(onlyReadyCountsChanged(undefined, { ...s, ...counts }), false);
});
