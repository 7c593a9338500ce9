import assert from 'node:assert/strict';
import { test } from 'node:test';
import { podCreatesInNamespace } from './measure.ts';

const line = (o: {
  verb: string;
  ua: string;
  resource: string;
  ns: string;
  code: number;
  received: string;
  done: string;
  sub?: string;
}) =>
  JSON.stringify({
    kind: 'Event',
    stage: 'ResponseComplete',
    verb: o.verb,
    userAgent: o.ua,
    objectRef: { resource: o.resource, namespace: o.ns, ...(o.sub ? { subresource: o.sub } : {}) },
    responseStatus: { code: o.code },
    requestReceivedTimestamp: o.received,
    stageTimestamp: o.done,
  });

test('the small cluster’s create and its pods’ creates come from the audit log, by namespace', () => {
  const lines = [
    line({
      verb: 'create',
      ua: 'kuberay-ts-bench',
      resource: 'rayclusters',
      ns: 'small',
      code: 201,
      received: '2026-12-07T03:00:00.100000Z',
      done: '2026-12-07T03:00:00.120000Z',
    }),
    // Another namespace's pod, a failed create, a status write and a pod created by someone else: not counted.
    line({
      verb: 'create',
      ua: 'kuberay-operator/0.1.0',
      resource: 'pods',
      ns: 'fair',
      code: 201,
      received: '2026-12-07T03:00:00.150000Z',
      done: '2026-12-07T03:00:00.160000Z',
    }),
    line({
      verb: 'create',
      ua: 'kuberay-operator/0.1.0',
      resource: 'pods',
      ns: 'small',
      code: 409,
      received: '2026-12-07T03:00:00.150000Z',
      done: '2026-12-07T03:00:00.170000Z',
    }),
    line({
      verb: 'patch',
      ua: 'kuberay-operator/0.1.0',
      resource: 'rayclusters',
      sub: 'status',
      ns: 'small',
      code: 200,
      received: '2026-12-07T03:00:00.150000Z',
      done: '2026-12-07T03:00:00.175000Z',
    }),
    line({
      verb: 'create',
      ua: 'kuberay-ts-bench',
      resource: 'pods',
      ns: 'small',
      code: 201,
      received: '2026-12-07T03:00:00.150000Z',
      done: '2026-12-07T03:00:00.180000Z',
    }),
    // The operator's two pods, logged out of order (the log is in completion order per request, not overall).
    line({
      verb: 'create',
      ua: 'kuberay-operator/v1.5.0',
      resource: 'pods',
      ns: 'small',
      code: 201,
      received: '2026-12-07T03:00:00.300000Z',
      done: '2026-12-07T03:00:00.450000Z',
    }),
    line({
      verb: 'create',
      ua: 'kuberay-operator/v1.5.0',
      resource: 'pods',
      ns: 'small',
      code: 201,
      received: '2026-12-07T03:00:00.200000Z',
      done: '2026-12-07T03:00:00.250000Z',
    }),
  ];
  const r = podCreatesInNamespace(lines, 'small');
  assert.equal(r.rayClusterCreatedMs, Date.parse('2026-12-07T03:00:00.100Z'));
  assert.deepEqual(
    r.podsCreatedMs.map((t) => t - r.rayClusterCreatedMs!),
    [150, 350],
  );
});

test('nothing created in the namespace: no RayCluster time and no pods', () => {
  assert.deepEqual(podCreatesInNamespace(['{"verb":"get","objectRef":{"namespace":"x"}}'], 'small'), {
    podsCreatedMs: [],
  });
});
