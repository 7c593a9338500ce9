import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeClient } from '../k8s/client.ts';
import type { KubeObject } from '../k8s/objects.ts';
import { FakeClock } from '../lib/clock.ts';
import { KubeEventRecorder, MemoryEventRecorder } from './events.ts';

/**
 * A client that keeps what the recorder writes (creates and patches, in order); `hold()` makes the next write
 * wait until the returned function is called.
 */
function fakeClient(): {
  client: KubeClient;
  created: KubeObject[];
  writes: { verb: 'create' | 'patch'; body: Record<string, unknown> }[];
  hold: () => () => void;
} {
  const created: KubeObject[] = [];
  const writes: { verb: 'create' | 'patch'; body: Record<string, unknown> }[] = [];
  let held: Promise<void> | undefined;
  const client = {
    createForMetadata: async (_r: unknown, obj: KubeObject) => {
      writes.push({ verb: 'create', body: obj as unknown as Record<string, unknown> });
      await held;
      created.push(obj);
      return obj;
    },
    patch: async (_r: unknown, _ns: string, _name: string, body: Record<string, unknown>) => {
      writes.push({ verb: 'patch', body });
      await held;
      return {};
    },
  } as unknown as KubeClient;
  const hold = () => {
    let release = () => {};
    held = new Promise<void>((r) => {
      release = () => {
        held = undefined;
        r();
      };
    });
    return release;
  };
  return { client, created, writes, hold };
}

const rc = {
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { namespace: 'ns', name: 'rc', uid: 'u1' },
};

test('recorderFor(name) writes the name as source.component and reportingComponent', async () => {
  const { client, created } = fakeClient();
  const recorder = new KubeEventRecorder({ client, instance: 'pod-1' });
  recorder.recorderFor('raycluster-controller').record(rc, {
    type: 'Normal',
    reason: 'CreatedService',
    action: 'Create',
    message: 'Created service ns/x',
  });
  recorder.record(rc, { type: 'Warning', reason: 'Failed', message: 'oops' });
  await recorder.flush();
  assert.equal(created.length, 2);
  assert.deepEqual(created[0]!.source, { component: 'raycluster-controller', host: 'pod-1' });
  assert.equal(created[0]!.reportingComponent, 'raycluster-controller');
  assert.equal(created[0]!.action, 'Create');
  assert.equal(created[0]!.message, 'Created service ns/x');
  assert.deepEqual(created[1]!.source, { component: 'kuberay-operator', host: 'pod-1' });
  assert.equal('action' in created[1]!, false);
});

test('the same event from two controllers is two Events, not a repeat', async () => {
  const { client, created } = fakeClient();
  const recorder = new KubeEventRecorder({ client });
  const event = { type: 'Normal', reason: 'Created', message: 'same' } as const;
  recorder.recorderFor('rayjob-controller').record(rc, event);
  recorder.recorderFor('rayservice-controller').record(rc, event);
  await recorder.flush();
  assert.deepEqual(
    created.map((e) => (e.source as { component: string }).component),
    ['rayjob-controller', 'rayservice-controller'],
  );
});

test('repeats recorded while the write of their Event waits join it: one request, the full count and times', async () => {
  const clock = new FakeClock(Date.parse('2026-12-07T10:00:00Z'));
  const { client, writes, hold } = fakeClient();
  const recorder = new KubeEventRecorder({ client, clock });
  const event = { type: 'Normal', reason: 'Created', message: 'created pod x' } as const;
  for (let i = 0; i < 4; i++) {
    recorder.record(rc, event);
    clock.advance(1000);
  }
  await recorder.flush();
  assert.equal(writes.length, 1, 'one create for four occurrences');
  assert.equal(writes[0]!.verb, 'create');
  assert.equal(writes[0]!.body.count, 4);
  assert.equal(writes[0]!.body.firstTimestamp, '2026-12-07T10:00:00Z');
  assert.equal(writes[0]!.body.lastTimestamp, '2026-12-07T10:00:03Z');

  // A write under way takes no more occurrences: those recorded meanwhile make one patch after it.
  const release = hold();
  recorder.record(rc, event);
  await new Promise((r) => setImmediate(r));
  assert.equal(writes.length, 2, 'the patch for the fifth occurrence is under way');
  clock.advance(1000);
  for (let i = 0; i < 3; i++) recorder.record(rc, event);
  release();
  await recorder.flush();
  assert.deepEqual(
    writes.slice(1).map((w) => [w.verb, w.body.count, w.body.lastTimestamp]),
    [
      ['patch', 5, '2026-12-07T10:00:04Z'],
      ['patch', 8, '2026-12-07T10:00:05Z'],
    ],
  );
});

test('a burst of similar events: fewer requests than events, and the Events count every one the spam filter let by', async () => {
  const { client, writes } = fakeClient();
  const recorder = new KubeEventRecorder({ client });
  for (let i = 0; i < 40; i++)
    recorder.record(rc, {
      type: 'Normal',
      reason: 'CreatedWorkerPod',
      message: `Created worker Pod ns/w-${i}`,
    });
  await recorder.flush();
  // Per Event (by name) the count it ends with: its create's count, raised by each later patch.
  const counts = new Map<string, number>();
  let lastCreated = '';
  for (const w of writes) {
    if (w.verb === 'create') {
      lastCreated = (w.body.metadata as { name: string }).name;
      counts.set(lastCreated, w.body.count as number);
    } else counts.set(lastCreated, w.body.count as number);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, 25, 'the spam filter lets 25 events of one object by; each is counted once');
  assert.ok(writes.length < 25, `${writes.length} requests for 25 events`);
  const combined = writes.filter((w) => String(w.body.message).startsWith('(combined from similar events)'));
  assert.ok(combined.length > 0, 'similar events were aggregated');
});

test('MemoryEventRecorder keeps the component of recorderFor', () => {
  const m = new MemoryEventRecorder();
  m.recorderFor('raycronjob-controller').record(rc, { type: 'Normal', reason: 'R', message: 'm' });
  m.record(rc, { type: 'Warning', reason: 'W', message: 'w' });
  assert.deepEqual(
    m.events.map((e) => [e.component, e.type, e.reason, e.message]),
    [
      ['raycronjob-controller', 'Normal', 'R', 'm'],
      [undefined, 'Warning', 'W', 'w'],
    ],
  );
});
