// biome-ignore-all lint/suspicious/noExplicitAny: events are untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually, testNamespace, waitForAccess } from '../../support/cluster.ts';
import { startApiServer } from './harness.ts';

const cluster = (name: string, namespace: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name, namespace },
  spec: {
    headGroupSpec: {
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.46.0' }] } },
    },
  },
});

/** Reads an SSE response: yields each `data:` payload parsed, and counts comment lines. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const stats = { comments: 0 };
  // A read left pending by a timed-out call is reused, so no chunk is lost.
  let pending: ReturnType<typeof reader.read> | undefined;
  async function next(timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (block.startsWith(':')) stats.comments++;
        if (data) return JSON.parse(data);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no SSE message in time');
      let timer: NodeJS.Timeout | undefined;
      pending ??= reader.read();
      const chunk = await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no SSE message in time')), left);
        }),
      ]).finally(() => clearTimeout(timer));
      pending = undefined;
      if (chunk.done) throw new Error('the stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  }
  return { next, stats, cancel: () => reader.cancel() };
}

test('V2 SSE watch: events arrive within a second, heartbeats flow, the stream ends with the client', async (t) => {
  const api = await startApiServer(t, { watchHeartbeatMs: 200 });
  const ns = await testNamespace(t, 'apiwatch');
  const base = `/apis/ray.io/v1/namespaces/${ns}/rayclusters`;
  const plain = await api.call('GET', `${base}?watch=true`);
  assert.equal(plain.status, 406);
  assert.match(plain.body.message, /text\/event-stream/);
  const bad = await fetch(`${api.base}${base}/x?watch=true`, { headers: { accept: 'text/event-stream' } });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();

  const abort = new AbortController();
  const res = await fetch(`${api.base}${base}?watch=true`, {
    headers: { accept: 'text/event-stream' },
    signal: abort.signal,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const sse = sseReader(res);
  let started = Date.now();
  await api.admin.create(Resources.rayClusters, cluster('w1', ns) as any);
  const added = await sse.next(1000);
  assert.ok(Date.now() - started < 1000);
  assert.equal(added.type, 'ADDED');
  assert.equal(added.object.metadata.name, 'w1');

  started = Date.now();
  await api.admin.patch(Resources.rayClusters, ns, 'w1', { metadata: { labels: { x: 'y' } } });
  const modified = await sse.next(1000);
  assert.equal(modified.type, 'MODIFIED');
  assert.equal(modified.object.metadata.labels.x, 'y');
  assert.ok(Date.now() - started < 1000);

  // A quiet second still carries heartbeats.
  const before = sse.stats.comments;
  await assert.rejects(sse.next(700), /no SSE message in time/);
  assert.ok(sse.stats.comments > before, 'heartbeat comments while idle');

  await api.admin.delete(Resources.rayClusters, ns, 'w1');
  assert.equal((await sse.next(1000)).type, 'DELETED');
  assert.equal(api.server.openStreams, 1);
  abort.abort();
  await sse.cancel().catch(() => {});
  // The client went away: the handler ends (and with it the upstream watch).
  await eventually(() => assert.equal(api.server.openStreams, 0), { timeoutMs: 5000, intervalMs: 50 });
  // ... and the request is counted although the response never finished.
  const metrics = await api.registry.getSingleMetricAsString('apiserver_http_requests_total');
  assert.match(
    metrics,
    /apiserver_http_requests_total\{route="GET \/apis\/ray\.io\/v1\/\*",method="GET",code="200"\} 1/,
  );
});

test('V2 SSE watch: when Kubernetes ends the upstream watch (timeoutSeconds), it is reopened where it stopped', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiwatch');
  const abort = new AbortController();
  t.after(() => abort.abort());
  const res = await fetch(
    `${api.base}/apis/ray.io/v1/namespaces/${ns}/rayclusters?watch=true&timeoutSeconds=1`,
    {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    },
  );
  assert.equal(res.status, 200);
  const sse = sseReader(res);
  await api.admin.create(Resources.rayClusters, cluster('r1', ns) as any);
  assert.equal((await sse.next(1000)).object.metadata.name, 'r1');
  await new Promise((r) => setTimeout(r, 2500));
  await api.admin.create(Resources.rayClusters, cluster('r2', ns) as any);
  const next = await sse.next(2000);
  assert.equal(next.type, 'ADDED');
  assert.equal(
    next.object.metadata.name,
    'r2',
    'no replay of r1: the watch resumed from its resourceVersion',
  );
  await sse.cancel().catch(() => {});
});

test('V2 SSE watch: a shutdown ends open streams at once instead of waiting out the grace period', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiwatch');
  const res = await fetch(`${api.base}/apis/ray.io/v1/namespaces/${ns}/rayclusters?watch=true`, {
    headers: { accept: 'text/event-stream' },
  });
  assert.equal(res.status, 200);
  const body = res.text();
  await eventually(() => assert.equal(api.server.openStreams, 1), { timeoutMs: 5000, intervalMs: 50 });
  const started = Date.now();
  await api.server.shutdown(10_000);
  assert.ok(Date.now() - started < 3000, `shutdown took ${Date.now() - started} ms`);
  assert.match(await body, /^: watching rayclusters/);
});

test('V2 SSE watch in the secure mode: as the caller; no rights, 403', async (t) => {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const mine = await testNamespace(t, 'apiwatch');
  const other = await testNamespace(t, 'apiwatch');
  await api.admin.rest.request('POST', `/api/v1/namespaces/${mine}/serviceaccounts`, {
    body: { metadata: { name: 'dave' } },
  });
  const token = (
    await api.admin.rest.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${mine}/serviceaccounts/dave/token`,
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } },
    )
  ).status.token;
  await api.admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${mine}/roles`, {
    body: {
      metadata: { name: 'ray-watch' },
      rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list', 'watch'] }],
    },
  });
  await api.admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${mine}/rolebindings`, {
    body: {
      metadata: { name: 'dave-watch' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ray-watch' },
      subjects: [{ kind: 'ServiceAccount', name: 'dave', namespace: mine }],
    },
  });
  await waitForAccess(api.admin.rest, `system:serviceaccount:${mine}:dave`, {
    namespace: mine,
    verb: 'watch',
    group: 'ray.io',
    resource: 'rayclusters',
  });
  const headers = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
  const denied = await fetch(`${api.base}/apis/ray.io/v1/namespaces/${other}/rayclusters?watch=true`, {
    headers,
  });
  assert.equal(denied.status, 403);
  const body: any = await denied.json();
  assert.equal(body.reason, 'Forbidden');
  assert.match(
    body.message,
    new RegExp(`User "system:serviceaccount:${mine}:dave" cannot watch resource "rayclusters"`),
  );
  const all = await fetch(`${api.base}/apis/ray.io/v1/rayclusters?watch=true`, { headers });
  assert.equal(all.status, 403);
  await all.body?.cancel();
  const noToken = await fetch(`${api.base}/apis/ray.io/v1/namespaces/${mine}/rayclusters?watch=true`, {
    headers: { accept: 'text/event-stream' },
  });
  assert.equal(noToken.status, 401);
  await noToken.body?.cancel();

  const abort = new AbortController();
  const res = await fetch(`${api.base}/apis/ray.io/v1/namespaces/${mine}/rayclusters?watch=true`, {
    headers,
    signal: abort.signal,
  });
  assert.equal(res.status, 200);
  const sse = sseReader(res);
  await api.admin.create(Resources.rayClusters, cluster('w2', mine) as any);
  const added = await sse.next(1000);
  assert.equal(added.object.metadata.name, 'w2');
  abort.abort();
  await sse.cancel().catch(() => {});
});

test('V2 pods of a RayCluster (the dashboard detail pages): by ray.io/cluster selector only', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apipods');
  const pod = (name: string, cluster: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { 'ray.io/cluster': cluster } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  await api.admin.create(Resources.pods, pod('p1', 'c1') as any);
  await api.admin.create(Resources.pods, pod('p2', 'c2') as any);
  const list = await api.call('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=ray.io%2Fcluster%3Dc1`);
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.deepEqual(
    list.body.items.map((p: any) => p.metadata.name),
    ['p1'],
  );
  const all = await api.call('GET', `/api/v1/namespaces/${ns}/pods`);
  assert.equal(all.status, 404);
  assert.match(all.body.message, /labelSelector=ray.io\/cluster=<name>/);
  const del = await api.call('DELETE', `/api/v1/namespaces/${ns}/pods?labelSelector=ray.io%2Fcluster%3Dc1`);
  assert.equal(del.status, 404);
});

test('V2 SSE watch of a RayCluster pods and of ray.io events (the detail pages, live)', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiwatchpods');
  const open = async (path: string) => {
    const abort = new AbortController();
    const res = await fetch(`${api.base}${path}`, {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    });
    t.after(() => abort.abort());
    return res;
  };
  // Pods: only with the ray.io/cluster selector, and only that cluster's pods arrive.
  const refused = await open(`/api/v1/namespaces/${ns}/pods?watch=true`);
  assert.equal(refused.status, 404);
  await refused.body?.cancel();
  const podsRes = await open(`/api/v1/namespaces/${ns}/pods?watch=true&labelSelector=ray.io%2Fcluster%3Dc1`);
  assert.equal(podsRes.status, 200);
  const pods = sseReader(podsRes);
  const pod = (name: string, cluster: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { 'ray.io/cluster': cluster } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
  await api.admin.create(Resources.pods, pod('other', 'c2') as any);
  const started = Date.now();
  await api.admin.create(Resources.pods, pod('mine', 'c1') as any);
  const added = await pods.next(1000);
  assert.ok(Date.now() - started < 1000);
  assert.deepEqual([added.type, added.object.metadata.name], ['ADDED', 'mine']);

  // Events: those about ray.io objects only.
  const eventsRes = await open(`/apis/events.k8s.io/v1/namespaces/${ns}/events?watch=true`);
  assert.equal(eventsRes.status, 200);
  const events = sseReader(eventsRes);
  const event = (name: string, apiVersion: string, kind: string) => ({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    eventTime: new Date().toISOString().replace('Z', '000Z'),
    reportingController: 'test',
    reportingInstance: 'test-1',
    action: 'Test',
    reason: 'Testing',
    type: 'Normal',
    note: name,
    regarding: { apiVersion, kind, name: 'x', namespace: ns },
  });
  const post = (e: unknown) =>
    api.admin.rest.request('POST', `/apis/events.k8s.io/v1/namespaces/${ns}/events`, { body: e });
  await post(event('about-a-pod', 'v1', 'Pod'));
  await post(event('about-a-cluster', 'ray.io/v1', 'RayCluster'));
  const first = await events.next(2000);
  assert.deepEqual([first.type, first.object.note], ['ADDED', 'about-a-cluster']);
});
