import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from './api-error.ts';
import { readWatchEvents, withoutManagedFields } from './watch.ts';

const managedFields = [
  {
    manager: 'kuberay-operator',
    operation: 'Update',
    apiVersion: 'v1',
    time: '2026-12-06T13:53:55Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { '.': {}, 'f:ray.io/cluster': {} } },
      'f:spec': { 'k:{"name":"a"}': {} },
    },
  },
  { manager: 'odd "]} manager\\', operation: 'Update', fieldsV1: { 'f:status': { 'f:x': {} } } },
];

/** A watch line as the API server writes it (Go's key order for typed objects: managedFields last in metadata). */
function line(metadata: Record<string, unknown>, rest: Record<string, unknown> = {}): string {
  return JSON.stringify({ type: 'MODIFIED', object: { kind: 'Pod', apiVersion: 'v1', metadata, ...rest } });
}

function withoutKey(text: string): unknown {
  const event = JSON.parse(text) as { object: { metadata: Record<string, unknown> } };
  delete event.object.metadata.managedFields;
  return event;
}

test('withoutManagedFields: cut wherever the key sits in the metadata, the rest parsed unchanged', () => {
  const spec = { spec: { containers: [{ name: 'a', image: 'x' }] }, status: { phase: 'Running' } };
  for (const metadata of [
    { name: 'p', namespace: 'n', labels: { a: 'b' }, managedFields },
    { managedFields, name: 'p', namespace: 'n' },
    { annotations: { z: '1' }, managedFields, name: 'p' },
    { managedFields },
  ]) {
    const text = line(metadata, spec);
    const cut = withoutManagedFields(text);
    assert.ok(cut.length < text.length, 'something was cut');
    assert.deepEqual(JSON.parse(cut), withoutKey(text));
  }
});

test('withoutManagedFields: the same key anywhere but the object metadata is left alone', () => {
  const cases = [
    // in an annotation's value (escaped inside a string)
    line({ name: 'p', annotations: { note: '"managedFields":[1,2]' } }),
    // in a nested object's metadata (a template), with none at the top
    line({ name: 'p' }, { spec: { template: { metadata: { managedFields } } } }),
    // at the third level, but not in metadata
    line({ name: 'p' }, { spec: { managedFields: [1] } }),
    // no managedFields at all, and an ERROR event
    line({ name: 'p' }),
    JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old' } }),
  ];
  for (const text of cases) assert.equal(withoutManagedFields(text), text);
});

test('withoutManagedFields: the top one is cut and a nested one kept', () => {
  const text = line({ name: 'p', managedFields }, { spec: { template: { metadata: { managedFields } } } });
  const cut = JSON.parse(withoutManagedFields(text)) as {
    object: { metadata: object; spec: { template: { metadata: { managedFields: unknown } } } };
  };
  assert.deepEqual(cut.object.metadata, { name: 'p' });
  assert.deepEqual(cut.object.spec.template.metadata.managedFields, managedFields);
});

test('withoutManagedFields: a line cut short stays malformed, for JSON.parse to report', () => {
  const text = line({ name: 'p', managedFields });
  // Cut inside the managedFields: nothing is cut out.
  for (const n of [text.indexOf('managedFields') + 20, text.indexOf('odd') + 3]) {
    const short = text.slice(0, n);
    assert.equal(withoutManagedFields(short), short);
  }
  // Cut after them: they go, and the rest is still not JSON.
  const short = text.slice(0, text.length - 3);
  assert.throws(() => JSON.parse(withoutManagedFields(short)), SyntaxError);
});

test('readWatchEvents: the idle timeout starts with the first bytes; silence before them is not an error', async () => {
  const body = new PassThrough();
  const events = readWatchEvents(body as unknown as IncomingMessage, {
    idleTimeoutMs: 20,
    path: '/api/v1/pods',
  });
  const first = events.next();
  // Ten idle timeouts with nothing sent: still waiting, no error.
  const early = await Promise.race([first.then(() => 'settled'), sleep(200).then(() => 'waiting')]);
  assert.equal(early, 'waiting');
  body.write(`${line({ name: 'a' })}\n`);
  const event = (await first).value as { type: string; object: { metadata: { name: string } } };
  assert.equal(event.type, 'MODIFIED');
  assert.equal(event.object.metadata.name, 'a');
  // After it, silence for longer than the timeout ends the watch with a status-0 ApiError.
  await assert.rejects(
    events.next(),
    (e: unknown) =>
      e instanceof ApiError &&
      e.status === 0 &&
      e.path === '/api/v1/pods' &&
      /silent for 20ms/.test(e.message),
  );
  assert.ok(body.destroyed);
});

test('readWatchEvents: each chunk restarts the idle timeout; the server closing ends it quietly', async () => {
  const body = new PassThrough();
  const events = readWatchEvents(body as unknown as IncomingMessage, { idleTimeoutMs: 250 });
  const names: string[] = [];
  const reading = (async () => {
    for await (const e of events) names.push((e.object as { metadata: { name: string } }).metadata.name);
  })();
  // Fifteen chunks 25 ms apart: more than the timeout in all, and never near 250 ms of silence between two.
  const sent = 'abcdefghijklmno'.split('');
  for (const name of sent) {
    body.write(`${line({ name })}\n`);
    await sleep(25);
  }
  body.end();
  await reading;
  assert.deepEqual(names, sent);
});
