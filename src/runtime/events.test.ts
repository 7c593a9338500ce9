import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeClient } from '../k8s/client.ts';
import type { KubeObject } from '../k8s/objects.ts';
import { KubeEventRecorder, MemoryEventRecorder } from './events.ts';

/** A client that only keeps what is created (the recorder's first write of each Event). */
function fakeClient(): { client: KubeClient; created: KubeObject[] } {
  const created: KubeObject[] = [];
  const client = {
    createForMetadata: async (_r: unknown, obj: KubeObject) => {
      created.push(obj);
      return obj;
    },
    patch: async () => ({}),
  } as unknown as KubeClient;
  return { client, created };
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
