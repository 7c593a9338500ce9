import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutManagedFields } from './managed-fields.ts';

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

test("withoutManagedFields 'top': an object's own metadata.managedFields is cut, a nested object's is kept", () => {
  const answer = JSON.stringify({
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { name: 'p', uid: 'u', resourceVersion: '7', managedFields, labels: { a: 'b' } },
  });
  const cut = withoutManagedFields(answer, 'top');
  assert.ok(cut.length < answer.length);
  assert.deepEqual(JSON.parse(cut), {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { name: 'p', uid: 'u', resourceVersion: '7', labels: { a: 'b' } },
  });
  // A watch event's line is one level deeper: 'top' leaves it alone, and the default leaves an object alone.
  const event = line({ name: 'a', managedFields });
  assert.equal(withoutManagedFields(event, 'top'), event);
  assert.equal(withoutManagedFields(answer), answer);
  // The key in a nested object (a list item's metadata) is not the object's own.
  const list = JSON.stringify({
    kind: 'PodList',
    metadata: {},
    items: [{ metadata: { name: 'x', managedFields } }],
  });
  assert.equal(withoutManagedFields(list, 'top'), list);
});
