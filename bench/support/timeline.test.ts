import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditSpans, inFlightTimeline } from './timeline.ts';

const t0 = Date.parse('2026-12-07T10:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();
const line = (o: {
  stage?: string;
  verb: string;
  ua?: string;
  resource: string;
  sub?: string;
  from: number;
  to: number;
}) =>
  JSON.stringify({
    stage: o.stage ?? 'ResponseComplete',
    verb: o.verb,
    userAgent: o.ua ?? 'kuberay-operator/0.1.0',
    objectRef: { resource: o.resource, namespace: 'bench', ...(o.sub ? { subresource: o.sub } : {}) },
    requestReceivedTimestamp: at(o.from),
    stageTimestamp: at(o.to),
  });

test('spans: completed requests of the agent, watches, Leases, other agents and other stages left out', () => {
  const spans = auditSpans(
    [
      line({ verb: 'create', resource: 'pods', from: 0, to: 10 }),
      line({ verb: 'patch', resource: 'rayclusters', sub: 'status', from: 5, to: 20 }),
      line({ stage: 'ResponseStarted', verb: 'create', resource: 'pods', from: 0, to: 1 }),
      line({ verb: 'watch', resource: 'pods', from: 0, to: 100 }),
      line({ verb: 'update', resource: 'leases', from: 0, to: 3 }),
      line({ verb: 'create', ua: 'kuberay-ts-bench', resource: 'pods', from: 0, to: 3 }),
      '',
    ],
    'kuberay-operator',
  );
  assert.deepEqual(spans, [
    { kind: 'create pods', namespace: 'bench', startMs: t0, endMs: t0 + 10 },
    { kind: 'patch rayclusters/status', namespace: 'bench', startMs: t0 + 5, endMs: t0 + 20 },
  ]);
});

test('the timeline: mean in flight, the gaps and what ran alone, within the pod-create window', () => {
  const span = (kind: string, start: number, end: number, namespace = 'bench') => ({
    kind,
    namespace,
    startMs: start,
    endMs: end,
  });
  const t = inFlightTimeline(
    [
      // Before the window: cut off at its start.
      span('create services', -50, 10),
      span('create pods', 0, 40),
      span('create pods', 20, 40),
      // A gap of 10 ms after the pods, then a status write alone for 30 ms, then a gap of 20 ms.
      span('patch rayclusters/status', 50, 80),
      span('create pods', 100, 200),
      // Back to back with the create above: no gap, no overlap.
      span('create pods', 200, 300),
      // After the window: left out.
      span('create events', 310, 320),
      // Pods created in another namespace later (the fairness case): they do not stretch the window.
      span('create pods', 1000, 1010, 'fair'),
    ],
    'bench',
  );
  assert.ok(t);
  assert.equal(t.windowMs, 300);
  assert.equal(t.requests, 6);
  assert.equal(t.idleMs, 30);
  // In flight: 0-10 two (service + pod), 10-20 one, 20-40 two, 50-80 one, 100-300 one: 300 ms-requests.
  assert.equal(t.meanInFlight, (20 + 10 + 40 + 30 + 200) / 300);
  assert.deepEqual(
    [...t.gapMsByKindBefore],
    [
      ['create pods', 10],
      ['patch rayclusters/status', 20],
    ],
  );
  assert.deepEqual(
    new Map(t.aloneMsByKind),
    new Map([
      ['create pods', 10 + 200],
      ['patch rayclusters/status', 30],
    ]),
  );
  assert.equal(inFlightTimeline([span('create services', 0, 10)]), undefined);
  assert.equal(inFlightTimeline([span('create pods', 0, 10, 'fair')], 'bench'), undefined);
  assert.equal(inFlightTimeline([span('create pods', 0, 10, 'fair')])?.windowMs, 10);
});
