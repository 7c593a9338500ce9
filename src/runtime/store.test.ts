import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../k8s/objects.ts';
import { Store } from './store.ts';

const pod = (ns: string, name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name, labels },
});

test('Store.list by namespace and label selector: the same objects through the label index, kept up to date', () => {
  const store = new Store();
  store.upsert(pod('a', 'h1', { 'ray.io/cluster': 'c1', 'ray.io/node-type': 'head' }));
  store.upsert(pod('a', 'w1', { 'ray.io/cluster': 'c1', 'ray.io/node-type': 'worker' }));
  store.upsert(pod('a', 'w2', { 'ray.io/cluster': 'c2', 'ray.io/node-type': 'worker' }));
  store.upsert(pod('b', 'w3', { 'ray.io/cluster': 'c1', 'ray.io/node-type': 'worker' }));
  const names = (objs: KubeObject[]) => objs.map((o) => o.metadata.name).sort();

  assert.deepEqual(names(store.list({ namespace: 'a', labelSelector: { 'ray.io/cluster': 'c1' } })), [
    'h1',
    'w1',
  ]);
  assert.deepEqual(
    names(
      store.list({ namespace: 'a', labelSelector: { 'ray.io/cluster': 'c1', 'ray.io/node-type': 'head' } }),
    ),
    ['h1'],
    'every label of the selector still applies',
  );
  assert.deepEqual(
    names(store.list({ namespace: 'a', labelSelector: { matchLabels: { 'ray.io/cluster': 'c2' } } })),
    ['w2'],
  );
  assert.deepEqual(
    names(
      store.list({
        namespace: 'a',
        labelSelector: {
          matchExpressions: [{ key: 'ray.io/node-type', operator: 'In', values: ['worker'] }],
        },
      }),
    ),
    ['w1', 'w2'],
    'a selector without an equality scans the namespace',
  );
  assert.deepEqual(names(store.list({ labelSelector: { 'ray.io/cluster': 'c1' } })), ['h1', 'w1', 'w3']);

  assert.deepEqual(
    names(
      store.list({
        namespace: 'a',
        labelSelector: {
          matchLabels: { 'ray.io/cluster': 'c1' },
          matchExpressions: [{ key: 'ray.io/node-type', operator: 'NotIn', values: ['head'] }],
        },
      }),
    ),
    ['w1'],
    'an equality served by its index, and the expressions still apply',
  );
  // The index follows changes made after it was built: a relabelled, a removed and a new object.
  store.upsert(pod('a', 'w1', { 'ray.io/cluster': 'c2', 'ray.io/node-type': 'worker' }));
  store.remove('a/h1');
  store.upsert(pod('a', 'w4', { 'ray.io/cluster': 'c1' }));
  assert.deepEqual(names(store.list({ namespace: 'a', labelSelector: { 'ray.io/cluster': 'c1' } })), ['w4']);
  assert.deepEqual(names(store.list({ namespace: 'a', labelSelector: { 'ray.io/cluster': 'c2' } })), [
    'w1',
    'w2',
  ]);
  assert.deepEqual(names(store.list({ namespace: 'a', labelSelector: { 'ray.io/cluster': 'none' } })), []);
});

test('Store.byIndex and list give the newest version of a replaced object, once', () => {
  const store = new Store({ owner: (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid) });
  const owned = (name: string, version: string, owners: string[]): KubeObject => ({
    ...pod('a', name, { 'ray.io/cluster': 'c1' }),
    metadata: {
      namespace: 'a',
      name,
      resourceVersion: version,
      labels: { 'ray.io/cluster': 'c1' },
      // The same owner twice: the object is still listed once under it.
      ownerReferences: owners.map((uid) => ({ apiVersion: 'v1', kind: 'X', name: uid, uid })),
    },
  });
  store.upsert(owned('p1', '1', ['u1', 'u1']));
  store.upsert(owned('p2', '1', ['u1']));
  store.upsert(owned('p1', '2', ['u1']));
  const seen = (objs: KubeObject[]) =>
    objs.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
  assert.deepEqual(seen(store.byIndex('owner', 'u1')), ['p1@2', 'p2@1']);
  assert.deepEqual(seen(store.byIndex('namespace', 'a')), ['p1@2', 'p2@1']);
  assert.deepEqual(seen(store.list({ namespace: 'a', labelSelector: { 'ray.io/cluster': 'c1' } })), [
    'p1@2',
    'p2@1',
  ]);
  store.remove('a/p2');
  assert.deepEqual(seen(store.byIndex('owner', 'u1')), ['p1@2']);
  store.remove('a/p1');
  assert.deepEqual(store.byIndex('owner', 'u1'), []);
  assert.throws(() => store.byIndex('nope', 'x'), /unknown index 'nope'/);
});
