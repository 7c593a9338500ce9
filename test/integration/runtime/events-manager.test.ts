import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { ControllerBuilder } from '../../../src/runtime/builder.ts';
import { KubeEventRecorder } from '../../../src/runtime/events.ts';
import { ensureFinalizer, removeFinalizer } from '../../../src/runtime/finalizers.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { Manager } from '../../../src/runtime/manager.ts';
import { RuntimeMetrics } from '../../../src/runtime/metrics.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';

async function client(metrics?: Registry): Promise<KubeClient> {
  const { kubeconfig } = await testCluster();
  const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig), metrics ? { metrics } : {});
  process.once('exit', () => c.rest.close());
  return c;
}

const cm = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace, name },
});

interface EventObj extends KubeObject {
  reason: string;
  message: string;
  count: number;
  type: string;
  reportingComponent: string;
  source: { component: string };
}

test('the event recorder creates Events and counts repeats instead of duplicating them', async (t) => {
  const ns = await testNamespace(t, 'ev');
  const c = await client();
  const obj = await c.create(Resources.configMaps, cm(ns, 'target'));
  const recorder = new KubeEventRecorder({ client: c, instance: 'test-instance' });
  recorder.record(obj, { type: 'Normal', reason: 'Created', message: 'created pod x' });
  recorder.record(obj, { type: 'Normal', reason: 'Created', message: 'created pod x' });
  recorder.record(obj, { type: 'Warning', reason: 'Failed', message: 'oops' });
  await recorder.flush();
  const list = await c.list<EventObj>(Resources.events, {
    namespace: ns,
    fieldSelector: { 'involvedObject.name': 'target' },
  });
  const byReason = Object.fromEntries(list.items.map((e) => [e.reason, e]));
  assert.equal(list.items.length, 2);
  assert.equal(byReason.Created?.count, 2);
  assert.equal(byReason.Created?.message, 'created pod x');
  assert.equal(byReason.Failed?.type, 'Warning');
  assert.equal(byReason.Failed?.count, 1);
  assert.equal(byReason.Failed?.reportingComponent, 'kuberay-operator');
  assert.equal(byReason.Failed?.source.component, 'kuberay-operator');
});

test('finalizer helpers add and remove a finalizer on the server', async (t) => {
  const ns = await testNamespace(t, 'fin');
  const c = await client();
  const obj = await c.create(Resources.configMaps, cm(ns, 'f'));
  const withF = await ensureFinalizer(c, Resources.configMaps, obj, 'ray.io/test');
  assert.deepEqual(withF.metadata.finalizers, ['ray.io/test']);
  assert.equal(
    await ensureFinalizer(c, Resources.configMaps, withF, 'ray.io/test'),
    withF,
    'no call when present',
  );
  await c.delete(Resources.configMaps, ns, 'f');
  const deleting = await c.get(Resources.configMaps, ns, 'f');
  assert.ok(deleting.metadata.deletionTimestamp);
  await removeFinalizer(c, Resources.configMaps, deleting, 'ray.io/test');
  assert.equal(await c.getOrUndefined(Resources.configMaps, ns, 'f'), undefined);
});

test('the Manager syncs informers, runs controllers, serves metrics and probes, and stops gracefully', async (t) => {
  const ns = await testNamespace(t, 'mgr');
  const registry = new Registry();
  const c = await client(registry);
  const informers = new InformerFactory({ client: c, namespaces: [ns] });
  const reconciled: string[] = [];
  const ctl = new ControllerBuilder('cm-test', { informers, metrics: RuntimeMetrics.for(registry) })
    .for(Resources.configMaps)
    .build((req) => {
      reconciled.push(req.key);
    });
  const manager = new Manager({
    client: c,
    informers,
    registry,
    metricsAddr: '127.0.0.1:0',
    probeAddr: '127.0.0.1:0',
  });
  manager.add(ctl);
  await manager.start();
  t.after(() => manager.stop());
  await c.create(Resources.configMaps, cm(ns, 'one'));
  await eventually(() => assert.ok(reconciled.includes(`${ns}/one`)));
  const metrics = await (await fetch(`http://127.0.0.1:${manager.metricsPort}/metrics`)).text();
  assert.match(metrics, /controller_runtime_reconcile_total\{controller="cm-test",result="success"\} [1-9]/);
  assert.match(metrics, /workqueue_adds_total\{controller="cm-test",name="cm-test"\} [1-9]/);
  assert.match(metrics, /rest_client_requests_total\{code="201",method="POST"/);
  assert.equal((await fetch(`http://127.0.0.1:${manager.probePort}/healthz`)).status, 200);
  assert.equal((await fetch(`http://127.0.0.1:${manager.probePort}/nope`)).status, 404);
  await manager.stop();
  assert.equal(await manager.done, 'stopped');
});
