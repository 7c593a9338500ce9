import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busyShare, podCreatesInNamespace } from './measure.ts';

const base = Date.parse('2026-12-07T03:00:00.000Z');
/** An audit line at level Metadata; the times in ms after `base`. */
const line = (
  verb: string,
  ua: string,
  ref: string,
  ns: string,
  code: number,
  received: number,
  done: number,
) => {
  const [resource, subresource] = ref.split('/');
  return JSON.stringify({
    kind: 'Event',
    stage: 'ResponseComplete',
    verb,
    userAgent: ua,
    objectRef: { resource, namespace: ns, ...(subresource ? { subresource } : {}) },
    responseStatus: { code },
    requestReceivedTimestamp: new Date(base + received).toISOString().replace('Z', '000Z'),
    stageTimestamp: new Date(base + done).toISOString().replace('Z', '000Z'),
  });
};

test('the small cluster’s create and its pods’ creates come from the audit log, by namespace', () => {
  const ours = 'kuberay-operator/0.1.0';
  const kuberay = 'kuberay-operator/v1.5.0';
  const lines = [
    line('create', 'kuberay-ts-bench', 'rayclusters', 'small', 201, 100, 120),
    // Another namespace's pod, a failed create, a status write and a pod created by someone else: not counted.
    line('create', ours, 'pods', 'fair', 201, 150, 160),
    line('create', ours, 'pods', 'small', 409, 150, 170),
    line('patch', ours, 'rayclusters/status', 'small', 200, 150, 175),
    line('create', 'kuberay-ts-bench', 'pods', 'small', 201, 150, 180),
    // The operator's two pods, the later one logged first.
    line('create', kuberay, 'pods', 'small', 201, 300, 450),
    line('create', kuberay, 'pods', 'small', 201, 200, 250),
  ];
  const r = podCreatesInNamespace(lines, 'small');
  assert.equal(r.rayClusterCreatedMs, base + 100);
  assert.deepEqual(
    r.podsCreatedMs.map((t) => t - base),
    [250, 450],
  );
});

test('nothing created in the namespace: no RayCluster time and no pods', () => {
  assert.deepEqual(podCreatesInNamespace(['{"verb":"get","objectRef":{"namespace":"x"}}'], 'small'), {
    podsCreatedMs: [],
  });
});

test('the busy share of the machine between two /proc/stat readings', () => {
  assert.equal(busyShare({ busy: 100, total: 400 }, { busy: 250, total: 600 }), 0.75);
  assert.equal(busyShare({ busy: 100, total: 400 }, { busy: 100, total: 400 }), 0);
});
