// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Registry } from 'prom-client';
import { Resources } from '../../../src/k8s/resources.ts';
import { testNamespace } from '../../support/cluster.ts';
import { eventually } from '../../support/eventually.ts';
import { startApiServer } from './harness.ts';

async function getRequests(registry: Registry): Promise<number> {
  const m = await registry.getSingleMetric('rest_client_requests_total')?.get();
  return (m?.values ?? []).filter((v) => v.labels.method === 'GET').reduce((a, v) => a + v.value, 0);
}

test('unpaginated lists come from the informer cache (no GET to Kubernetes); paginated ones are LISTs', async (t) => {
  const api = await startApiServer(t, { listCache: true });
  const ns = await testNamespace(t, 'apicache');
  await api.call('POST', `/apis/v1/namespaces/${ns}/compute_templates`, {
    name: 't',
    namespace: ns,
    cpu: 1,
    memory: 1,
  });
  const spec = { headGroupSpec: { computeTemplate: 't', rayStartParams: { 'dashboard-host': '0.0.0.0' } } };
  for (const name of ['b', 'a'])
    assert.equal(
      (
        await api.call('POST', `/apis/v1/namespaces/${ns}/clusters`, {
          name,
          namespace: ns,
          user: 'u',
          clusterSpec: spec,
        })
      ).status,
      200,
    );
  const path = `/apis/v1/namespaces/${ns}/clusters`;
  // Until the cache has synced and seen both, the route answers with a LIST: wait for the cache itself.
  await eventually(
    async () => {
      const cached = api.listCache?.list(Resources.rayClusters, ns);
      if (cached?.length !== 2) throw new Error(`cache has ${cached?.length ?? 'not synced'}`);
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  const listed = await eventually(
    async () => {
      const r = await api.call('GET', path);
      if ((r.body.clusters ?? []).length !== 2) throw new Error(`cached clusters: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  assert.deepEqual(
    listed.clusters.map((c: any) => c.name),
    ['a', 'b'],
    'sorted by name, as a LIST',
  );
  const before = await getRequests(api.registry);
  for (let i = 0; i < 5; i++) assert.equal((await api.call('GET', path)).body.clusters.length, 2);
  assert.ok((await api.call('GET', '/apis/v1/clusters')).body.clusters.some((c: any) => c.namespace === ns));
  assert.equal(await getRequests(api.registry), before, 'no GET reached Kubernetes');
  const page = await api.call('GET', `${path}?limit=1`);
  assert.equal(page.body.clusters.length, 1);
  assert.ok(page.body.continue);
  assert.ok((await getRequests(api.registry)) > before, 'the paginated list was a LIST');
  assert.deepEqual(await api.call('DELETE', `${path}/a`), { status: 200, body: {} });
  await eventually(
    async () => {
      const r = await api.call('GET', path);
      if (r.body.clusters.length !== 1) throw new Error('deletion not seen yet');
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
});
