import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { ControllerBuilder } from '../../../src/runtime/builder.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { indexByLabel } from '../../../src/runtime/store.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';

async function client(): Promise<KubeClient> {
  const { kubeconfig } = await testCluster();
  const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig));
  process.once('exit', () => c.rest.close());
  return c;
}

const cm = (namespace: string, name: string, labels: Record<string, string>, data = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace, name, labels },
  data,
});

test('an informer lists, then sees add/update(old,new)/delete, scoped by namespace and label, with indexes', async (t) => {
  const ns = await testNamespace(t, 'inf');
  const other = await testNamespace(t, 'inf');
  const c = await client();
  await c.create(Resources.configMaps, cm(ns, 'before', { app: 'ray' }));
  const factory = new InformerFactory({ client: c, namespaces: [ns] });
  const informer = factory.informerFor(Resources.configMaps, {
    labelSelector: { app: 'ray' },
    indexers: { color: indexByLabel('color') },
  });
  assert.equal(factory.informerFor(Resources.configMaps, { labelSelector: { app: 'ray' } }), informer);
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (o) => seen.push(`add ${o.metadata.name}`),
    onUpdate: (old, o) =>
      seen.push(`update ${o.metadata.name} ${JSON.stringify(old.data)}->${JSON.stringify(o.data)}`),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  factory.start();
  t.after(() => factory.stop());
  assert.equal(await factory.waitForSync(), true);
  assert.deepEqual(seen, ['add before']);
  assert.equal(informer.get(ns, 'before')?.metadata.managedFields, undefined, 'managedFields are stripped');

  await c.create(Resources.configMaps, cm(ns, 'x', { app: 'ray', color: 'red' }, { v: '1' }));
  await c.create(Resources.configMaps, cm(ns, 'unlabelled', {}));
  await c.create(Resources.configMaps, cm(other, 'elsewhere', { app: 'ray' }));
  await c.patch(Resources.configMaps, ns, 'x', { data: { v: '2' } });
  await c.delete(Resources.configMaps, ns, 'x');
  await eventually(() =>
    assert.deepEqual(seen, ['add before', 'add x', 'update x {"v":"1"}->{"v":"2"}', 'delete x']),
  );
  assert.equal(informer.get(ns, 'x'), undefined);
  await c.create(Resources.configMaps, cm(ns, 'y', { app: 'ray', color: 'blue' }));
  await eventually(() => assert.equal(informer.byIndex('color', 'blue')[0]?.metadata.name, 'y'));
  assert.equal(informer.list({ namespace: other }).length, 0);
});

test('a built controller reconciles the owner when an owned object changes', async (t) => {
  const ns = await testNamespace(t, 'ctl');
  const c = await client();
  const factory = new InformerFactory({ client: c, namespaces: [ns] });
  const reconciled: string[] = [];
  const ctl = new ControllerBuilder('owner-test', { informers: factory })
    .for(Resources.services)
    .owns(Resources.configMaps)
    .build((req) => {
      reconciled.push(req.key);
    });
  factory.start();
  t.after(() => factory.stop());
  await factory.waitForSync();
  ctl.start();
  t.after(() => ctl.stop());
  const svc = await c.create(Resources.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: ns, name: 'owner' },
    spec: { ports: [{ port: 80 }] },
  });
  await eventually(() => assert.ok(reconciled.includes(`${ns}/owner`)));
  reconciled.length = 0;
  await c.create(Resources.configMaps, {
    ...cm(ns, 'child', {}),
    metadata: {
      namespace: ns,
      name: 'child',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: 'owner', uid: svc.metadata.uid!, controller: true },
      ],
    },
  });
  await eventually(() => assert.deepEqual(reconciled, [`${ns}/owner`]));
});

test('an informer lists page by page, transforming each page before the next, and keeps none of the listed objects', async (t) => {
  const ns = await testNamespace(t, 'inf-pages');
  const { kubeconfig } = await testCluster();
  const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 500, burst: 500 });
  t.after(() => c.rest.close());
  // 201 objects or more (the namespace's kube-root-ca.crt besides): pages of 100 (client.ts), 100 and the rest.
  const names = Array.from({ length: 201 }, (_, i) => `cm-${i}`);
  for (let i = 0; i < names.length; i += 50)
    await Promise.all(names.slice(i, i + 50).map((n) => c.create(Resources.configMaps, cm(ns, n, {}))));
  const total = (await c.list(Resources.configMaps, { namespace: ns })).items.length;
  const order: string[] = [];
  const listPage = c.listPage.bind(c);
  c.listPage = (r, options) => {
    order.push('page');
    return listPage(r, options);
  };
  const listed: WeakRef<KubeObject>[] = [];
  const factory = new InformerFactory({ client: c, namespaces: [ns] });
  const informer = factory.informerFor(Resources.configMaps, {
    transform: (o) => {
      order.push('item');
      listed.push(new WeakRef(o));
      return { apiVersion: o.apiVersion, kind: o.kind, metadata: { ...o.metadata } };
    },
  });
  factory.start();
  t.after(() => factory.stop());
  assert.equal(await factory.waitForSync(), true);
  assert.equal(informer.list().length, total);
  const runs: string[] = [];
  for (const step of order) {
    const last = runs.at(-1)?.split(' x ');
    if (last?.[0] === step) runs[runs.length - 1] = `${step} x ${Number(last[1]) + 1}`;
    else runs.push(`${step} x 1`);
  }
  assert.deepEqual(runs, [
    'page x 1',
    'item x 100',
    'page x 1',
    'item x 100',
    'page x 1',
    `item x ${total - 200}`,
  ]);
  // While the informer watches, nothing holds the list's full objects any more: only the transformed copies.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  await new Promise((r) => setTimeout(r, 100));
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  assert.equal(listed.filter((r) => r.deref() !== undefined).length, 0, 'listed objects still reachable');
});
