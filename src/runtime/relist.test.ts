import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../k8s/objects.ts';
import { Backoff } from './backoff.ts';
import { allOf, generationChanged, labelsChanged, not } from './predicates.ts';
import { diffRelist } from './relist.ts';
import { indexByLabel, indexByOwnerUid, Store } from './store.ts';

const obj = (name: string, rv: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: { namespace: 'ns', name, resourceVersion: rv, ...extra },
});

test('diffRelist reports added, changed and vanished objects, and ignores unchanged ones', () => {
  const cached = new Map([
    ['ns/keep', obj('keep', '1')],
    ['ns/change', obj('change', '1')],
    ['ns/gone', obj('gone', '1')],
  ]);
  const d = diffRelist(cached, [obj('keep', '1'), obj('change', '5'), obj('new', '6')]);
  assert.deepEqual(
    d.added.map((o) => o.metadata.name),
    ['new'],
  );
  assert.deepEqual(
    d.updated.map((u) => [u.old.metadata.resourceVersion, u.obj.metadata.resourceVersion]),
    [['1', '5']],
  );
  assert.deepEqual(
    d.deleted.map((o) => o.metadata.name),
    ['gone'],
  );
});

test('Store keeps indexes in step with upserts and removals', () => {
  const s = new Store({ owner: indexByOwnerUid, cluster: indexByLabel('ray.io/cluster') });
  const owned = (name: string, uid: string, cluster: string) =>
    obj(name, '1', {
      labels: { 'ray.io/cluster': cluster },
      ownerReferences: [{ apiVersion: 'ray.io/v1', kind: 'RayCluster', name: cluster, uid }],
    });
  s.upsert(owned('p1', 'u1', 'c1'));
  s.upsert(owned('p2', 'u1', 'c1'));
  s.upsert(owned('p3', 'u2', 'c2'));
  assert.equal(s.byIndex('owner', 'u1').length, 2);
  s.upsert(owned('p2', 'u2', 'c2'));
  assert.deepEqual(
    s
      .byIndex('cluster', 'c2')
      .map((o) => o.metadata.name)
      .sort(),
    ['p2', 'p3'],
  );
  s.remove('ns/p3');
  assert.deepEqual(
    s.byIndex('owner', 'u2').map((o) => o.metadata.name),
    ['p2'],
  );
  assert.equal(s.list({ namespace: 'ns', labelSelector: { 'ray.io/cluster': 'c1' } }).length, 1);
  assert.throws(() => s.byIndex('nope', 'x'), /unknown index 'nope'/);
});

test('Backoff doubles up to the cap and resets', () => {
  const b = new Backoff(800, 30_000);
  assert.deepEqual([b.next(), b.next(), b.next()], [800, 1600, 3200]);
  for (let i = 0; i < 10; i++) b.next();
  assert.equal(b.next(), 30_000);
  b.reset();
  assert.equal(b.next(), 800);
});

test('predicates filter updates by generation and labels', () => {
  const a = obj('x', '1', { generation: 1, labels: { a: '1' } });
  const statusOnly = obj('x', '2', { generation: 1, labels: { a: '1' } });
  const relabelled = obj('x', '3', { generation: 1, labels: { a: '2' } });
  assert.equal(generationChanged({ type: 'update', old: a, obj: statusOnly }), false);
  assert.equal(generationChanged({ type: 'add', obj: a }), true);
  assert.equal(labelsChanged({ type: 'update', old: a, obj: relabelled }), true);
  assert.equal(
    allOf(labelsChanged, not(generationChanged))({ type: 'update', old: a, obj: relabelled }),
    true,
  );
});
