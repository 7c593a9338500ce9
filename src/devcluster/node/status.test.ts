import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus } from '../../api/k8s-types.ts';
import { computePodStatus, type PodRuntimeView, podPhase } from './status.ts';

const cs = (
  name: string,
  state: ContainerStatus['state'],
  extra: Partial<ContainerStatus> = {},
): ContainerStatus => ({
  name,
  image: 'busybox',
  imageID: '',
  ready: false,
  restartCount: 0,
  state,
  lastState: {},
  ...extra,
});
const base: PodRuntimeView = {
  restartPolicy: 'Always',
  hostIP: '10.213.0.1',
  startTime: '2026-01-01T00:00:00Z',
  sandboxReady: true,
  initialized: true,
  init: [],
  containers: [],
};

test('podPhase follows the kubelet rules', () => {
  const waiting = cs('a', { waiting: { reason: 'ContainerCreating' } });
  const running = cs('a', { running: {} });
  const ok = cs('a', { terminated: { exitCode: 0 } });
  const bad = cs('b', { terminated: { exitCode: 1 } });
  assert.equal(podPhase({ ...base, initialized: false, containers: [waiting] }), 'Pending');
  assert.equal(podPhase({ ...base, containers: [waiting] }), 'Pending');
  assert.equal(podPhase({ ...base, containers: [running] }), 'Running');
  assert.equal(podPhase({ ...base, restartPolicy: 'Never', containers: [ok] }), 'Succeeded');
  assert.equal(podPhase({ ...base, restartPolicy: 'Never', containers: [ok, bad] }), 'Failed');
  assert.equal(podPhase({ ...base, restartPolicy: 'Always', containers: [ok] }), 'Running');
  assert.equal(
    podPhase({
      ...base,
      containers: [cs('a', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 2 })],
    }),
    'Running',
  );
  assert.equal(podPhase({ ...base, failed: { reason: 'X', message: 'y' }, containers: [running] }), 'Failed');
});

test('computePodStatus: Ready follows the containers, transition times survive unchanged conditions', () => {
  const v = { ...base, podIP: '10.213.0.2', containers: [cs('a', { running: {} }, { ready: true })] };
  const s1 = computePodStatus({ ...v, containers: [cs('a', { running: {} })] }, undefined, 't1');
  const ready1 = s1.conditions!.find((c) => c.type === 'Ready')!;
  assert.deepEqual(
    [ready1.status, ready1.reason, ready1.lastTransitionTime],
    ['False', 'ContainersNotReady', 't1'],
  );
  const s2 = computePodStatus(v, s1, 't2');
  const get = (t: string) => s2.conditions!.find((c) => c.type === t)!;
  assert.deepEqual([get('Ready').status, get('Ready').lastTransitionTime], ['True', 't2']);
  assert.deepEqual([get('PodScheduled').status, get('PodScheduled').lastTransitionTime], ['True', 't1']);
  assert.equal(get('ContainersReady').status, 'True');
  assert.equal(get('Initialized').status, 'True');
  assert.equal(s2.podIP, '10.213.0.2');
  assert.deepEqual(s2.podIPs, [{ ip: '10.213.0.2' }]);
  assert.equal(s2.phase, 'Running');
});
