import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { ApiError, isAlreadyExists, isConflict } from '../../../src/k8s/api-error.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { startFaultProxy } from '../../support/fault-proxy.ts';

async function client(metrics?: Registry): Promise<KubeClient> {
  const { kubeconfig } = await testCluster();
  const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig), {
    version: 'test',
    ...(metrics ? { metrics } : {}),
  });
  process.once('exit', () => c.rest.close());
  return c;
}

const cm = (namespace: string, name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { namespace, name, labels: { app: 'x' } },
  data,
});

test('KubeClient creates, reads, lists, updates, patches and deletes, keeping unknown fields', async (t) => {
  const ns = await testNamespace(t, 'client');
  const metrics = new Registry();
  const c = await client(metrics);
  const created = await c.create(Resources.configMaps, cm(ns, 'a', { k: 'v' }));
  assert.equal(created.metadata.namespace, ns);
  await assert.rejects(c.create(Resources.configMaps, cm(ns, 'a', {})), isAlreadyExists);
  const dry = await c.create(Resources.configMaps, cm(ns, 'dry', {}), { dryRun: true });
  assert.equal(dry.metadata.name, 'dry');
  assert.equal(await c.getOrUndefined(Resources.configMaps, ns, 'dry'), undefined);

  const got = await c.get(Resources.configMaps, ns, 'a');
  assert.deepEqual(got.data, { k: 'v' });
  const list = await c.list(Resources.configMaps, { namespace: ns, labelSelector: { app: 'x' } });
  assert.deepEqual(
    list.items.map((o) => o.metadata.name),
    ['a'],
  );
  assert.ok(list.metadata.resourceVersion);
  const byField = await c.list(Resources.configMaps, {
    namespace: ns,
    fieldSelector: { 'metadata.name': 'zzz' },
  });
  assert.equal(byField.items.length, 0);

  const updated = await c.update(Resources.configMaps, { ...got, data: { k: 'v2' } });
  assert.deepEqual(updated.data, { k: 'v2' });
  await assert.rejects(c.update(Resources.configMaps, { ...got, data: { k: 'stale' } }), isConflict);

  await c.patch(Resources.configMaps, ns, 'a', { data: { m: '1' } });
  await c.patch(Resources.configMaps, ns, 'a', [{ op: 'add', path: '/data/j', value: '2' }], {
    type: 'json',
  });
  await c.patch(Resources.configMaps, ns, 'a', { data: { s: '3' } }, { type: 'strategic' });
  const applied = await c.apply(
    Resources.configMaps,
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name: 'a' }, data: { k: 'applied' } },
    { fieldManager: 'test-apply', force: true },
  );
  assert.deepEqual(applied.data, { k: 'applied', m: '1', j: '2', s: '3' });

  assert.equal(await c.delete(Resources.configMaps, ns, 'a'), true);
  assert.equal(await c.delete(Resources.configMaps, ns, 'a'), false);

  const text = await metrics.metrics();
  assert.match(text, /rest_client_requests_total\{code="201",method="POST",host="127\.0\.0\.1:\d+"\} \d/);
  assert.match(text, /rest_client_requests_total\{code="409",method="POST"/);
});

test('createForMetadata: the server sends back only the metadata, with the generated name', async (t) => {
  const ns = await testNamespace(t, 'client-meta');
  const c = await client();
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: ns, generateName: 'w-', labels: { app: 'x' } },
    spec: { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'A', value: 'b' }] }] },
  } as KubeObject;
  const meta = (await c.createForMetadata(Resources.pods, pod)) as KubeObject & Record<string, unknown>;
  assert.equal(meta.kind, 'PartialObjectMetadata');
  assert.equal(meta.spec, undefined, 'no spec comes back');
  assert.match(meta.metadata.name ?? '', /^w-[a-z0-9]{5}$/);
  assert.equal(meta.metadata.generateName, 'w-');
  assert.deepEqual(meta.metadata.labels, { app: 'x' });
  assert.ok(meta.metadata.uid && meta.metadata.resourceVersion);
  assert.equal(meta.metadata.managedFields, undefined, 'managedFields are cut before parsing');
  // The object itself is whole: only the answer was cut.
  const stored = (await c.get(Resources.pods, ns, meta.metadata.name ?? '')) as KubeObject & {
    spec: { containers: { env: unknown[] }[] };
  };
  assert.equal(stored.metadata.uid, meta.metadata.uid);
  assert.deepEqual(stored.spec.containers[0]?.env, [{ name: 'A', value: 'b' }]);
  assert.ok(Array.isArray(stored.metadata.managedFields), 'the server keeps them');
  // Errors are the same ApiError as create's.
  await assert.rejects(
    c.createForMetadata(Resources.pods, { ...pod, metadata: { namespace: ns, name: meta.metadata.name } }),
    isAlreadyExists,
  );
});

test('a watch with dropManagedFields gives the same events without metadata.managedFields', async (t) => {
  const ns = await testNamespace(t, 'client-watch');
  const c = await client();
  const abort = new AbortController();
  t.after(() => abort.abort());
  const [whole, cut] = await Promise.all(
    [false, true].map((dropManagedFields) =>
      c.watch(Resources.configMaps, {
        namespace: ns,
        labelSelector: { app: 'x' },
        signal: abort.signal,
        dropManagedFields,
      }),
    ),
  );
  await c.create(Resources.configMaps, cm(ns, 'w', { k: 'v' }));
  await c.patch(Resources.configMaps, ns, 'w', { data: { k: 'v2' } }, { fieldManager: 'second-writer' });
  for (const type of ['ADDED', 'MODIFIED']) {
    const a = (await whole!.next()).value as { type: string; object: KubeObject };
    const b = (await cut!.next()).value as { type: string; object: KubeObject };
    assert.equal(a.type, type);
    assert.ok(Array.isArray(a.object.metadata.managedFields), 'the server sends managedFields');
    const { managedFields: _m, ...metadata } = a.object.metadata;
    assert.deepEqual(b, { ...a, object: { ...a.object, metadata } });
  }
});

test('a watch idle timeout starts at its first event: a watch that has sent nothing stays open, one that went silent after an event is dropped', async (t) => {
  const ns = await testNamespace(t, 'client-idle');
  const c = await client();
  const abort = new AbortController();
  t.after(() => abort.abort());
  const labelled = (name: string, app: string): KubeObject => ({
    ...cm(ns, name, { k: 'v' }),
    metadata: { namespace: ns, name, labels: { app } },
  });
  // From a list's resourceVersion, as the informers watch (without one the server opens with a bookmark).
  const listed = await c.listPage(Resources.configMaps, { namespace: ns });
  const open = (app: string) =>
    c.watch(Resources.configMaps, {
      namespace: ns,
      labelSelector: { app },
      resourceVersion: listed.metadata.resourceVersion,
      allowWatchBookmarks: true,
      idleTimeoutMs: 500,
      signal: abort.signal,
    });
  const [quiet, busy] = await Promise.all([open('quiet'), open('busy')]);
  await c.create(Resources.configMaps, labelled('busy-1', 'busy'));
  const first = (await busy.next()).value as { type: string; object: KubeObject };
  assert.equal(first.type, 'ADDED');
  assert.equal(first.object.metadata.name, 'busy-1');
  // Silent after its event for longer than 500 ms (the next bookmark is about a minute away): dropped.
  await assert.rejects(
    busy.next(),
    (e: unknown) => e instanceof ApiError && e.status === 0 && /silent for 500ms/.test(e.message),
  );
  // The quiet watch has been silent as long, with nothing sent yet: still open, and it carries the next event.
  await c.create(Resources.configMaps, labelled('quiet-1', 'quiet'));
  const event = (await quiet.next()).value as { type: string; object: KubeObject };
  assert.equal(event.type, 'ADDED');
  assert.equal(event.object.metadata.name, 'quiet-1');
});

test('KubeClient status subresource and discovery of optional APIs', async (t) => {
  const ns = await testNamespace(t, 'client');
  const c = await client();
  const lease = await c.create(Resources.leases, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { namespace: ns, name: 'l' },
    spec: { holderIdentity: 'me' },
  });
  assert.equal((lease.spec as { holderIdentity: string }).holderIdentity, 'me');
  assert.equal(await c.hasResource('coordination.k8s.io', 'v1', 'leases'), true);
  assert.equal(await c.hasResource('', 'v1', 'pods'), true);
  assert.equal(await c.hasResource('route.openshift.io', 'v1', 'routes'), false);
  assert.equal(await c.hasResource('batch', 'v1', 'nosuchthings'), false);

  const svc: KubeObject = await c.create(Resources.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: ns, name: 's' },
    spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
  });
  const patched = await c.patchStatus(Resources.services, ns, 's', {
    status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } },
  });
  const lb = (patched.status as { loadBalancer: { ingress: { ip: string }[] } }).loadBalancer;
  assert.equal(lb.ingress[0]?.ip, '10.0.0.9');
  const fresh = await c.get(Resources.services, ns, 's');
  const st = await c.updateStatus(Resources.services, { ...fresh, status: { loadBalancer: {} } });
  assert.deepEqual(st.status, { loadBalancer: {} });
  assert.ok(svc.metadata.uid);
});

test('a 429 with Retry-After is sent again after the wait, as client-go does; a write is not lost or doubled', async (t) => {
  const ns = await testNamespace(t, 'client-retry');
  const { kubeconfig } = await testCluster();
  const proxy = await startFaultProxy(loadKubeconfig(kubeconfig));
  t.after(() => proxy.close());
  const dir = mkdtempSync(join(tmpdir(), 'client-retry-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const c = KubeClient.fromAccess(loadKubeconfig(proxy.kubeconfig(dir)), { qps: 0 });
  t.after(() => c.rest.close());
  const isConfigMaps = (_method: string, path: string) =>
    path.endsWith('/configmaps') || path.includes('/configmaps/');

  proxy.resetCounts();
  proxy.throttleNext(2, isConfigMaps);
  const created = await c.create(Resources.configMaps, cm(ns, 'r', { k: 'v' }));
  assert.equal(created.metadata.name, 'r');
  assert.deepEqual(
    proxy.counts(),
    { total: 3, failed: 2, watches: 0, delayed: 0 },
    'two 429s, then the create',
  );
  assert.deepEqual((await c.get(Resources.configMaps, ns, 'r')).data, { k: 'v' });

  // Past client-go's 10 retries the 429 is the answer.
  proxy.resetCounts();
  proxy.throttleNext(11, isConfigMaps);
  await assert.rejects(
    c.get(Resources.configMaps, ns, 'r'),
    (e: unknown) => e instanceof ApiError && e.status === 429,
  );
  assert.equal(proxy.counts().total, 11);
});
