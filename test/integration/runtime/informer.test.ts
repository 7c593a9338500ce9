import assert from 'node:assert/strict';
import { test } from 'node:test';
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
