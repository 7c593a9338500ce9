import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Registry } from 'prom-client';
import { createApiServer } from '../../../src/apiserver/app.ts';
import type { ApiHttpServer } from '../../../src/apiserver/http/server.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { RestClient } from '../../../src/k8s/rest.ts';
import { createLogger } from '../../../src/lib/logger.ts';

// The server core needs no cluster: these routes never call Kubernetes (the client points nowhere).
const logs: Record<string, unknown>[] = [];
let server: ApiHttpServer;
let base: string;
let releaseSlow: () => void = () => {};
let slowStarted: () => void = () => {};

before(async () => {
  const kube = new KubeClient(new RestClient({ server: 'http://127.0.0.1:9' }));
  server = createApiServer({
    kube,
    logger: createLogger({ write: (l) => logs.push(JSON.parse(l) as Record<string, unknown>) }),
    registry: new Registry(),
    auth: 'none',
    corsAllowOrigins: ['http://dashboard.example'],
    maxBodyBytes: 64,
    requestTimeoutMs: 300,
  });
  server.add('POST', '/test/echo', {
    name: 'proto.TestService/Echo',
    handle: async (ctx) => ({ body: await ctx.json() }),
  });
  server.add('GET', '/test/hang', { name: 'test/hang', handle: () => new Promise(() => {}) });
  server.add('GET', '/test/slow', {
    name: 'test/slow',
    handle: () =>
      new Promise((r) => {
        releaseSlow = () => r({ body: { done: true } });
        slowStarted();
      }),
  });
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
after(() => server.shutdown(100));

test('health and readiness', async () => {
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
});

test('unknown paths and methods answer in grpc-gateway shape (404 NotFound, 501 Method Not Allowed)', async () => {
  const r = await fetch(`${base}/apis/v1/nothing`);
  assert.equal(r.status, 404);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.deepEqual(await r.json(), { code: 5, message: 'Not Found', details: [] });
  const m = await fetch(`${base}/test/echo`, { method: 'GET' });
  assert.equal(m.status, 501);
  assert.deepEqual(await m.json(), { code: 12, message: 'Method Not Allowed', details: [] });
});

test('malformed JSON: 400 InvalidArgument; an oversized body: 413', async () => {
  const bad = await fetch(`${base}/test/echo`, { method: 'POST', body: '{"a":' });
  assert.equal(bad.status, 400);
  const b = (await bad.json()) as { code: number; message: string };
  assert.equal(b.code, 3);
  assert.match(b.message, /^request body is not valid JSON: /);
  const ok = await fetch(`${base}/test/echo`, { method: 'POST', body: '{"a":1}' });
  assert.deepEqual(await ok.json(), { a: 1 });
  const big = await fetch(`${base}/test/echo`, {
    method: 'POST',
    body: JSON.stringify({ a: 'x'.repeat(100) }),
  });
  assert.equal(big.status, 413);
  assert.deepEqual(await big.json(), {
    code: 8,
    message: 'request body is larger than the limit of 64 bytes',
    details: [],
  });
});

test('a call past its deadline: 504 DeadlineExceeded', async () => {
  const r = await fetch(`${base}/test/hang`);
  assert.equal(r.status, 504);
  assert.deepEqual(await r.json(), { code: 4, message: 'context deadline exceeded', details: [] });
});

test('CORS: preflight answered for the configured origin only', async () => {
  const pre = await fetch(`${base}/test/echo`, {
    method: 'OPTIONS',
    headers: { origin: 'http://dashboard.example', 'access-control-request-method': 'POST' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'http://dashboard.example');
  assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
  const other = await fetch(`${base}/healthz`, { headers: { origin: 'http://evil.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});

test('metrics: grpc_server_handled_total by method and code, HTTP requests by route; access log lines', async () => {
  await fetch(`${base}/test/echo`, { method: 'POST', body: '{}' });
  const text = await (await fetch(`${base}/metrics`)).text();
  assert.match(
    text,
    /grpc_server_handled_total\{grpc_type="unary",grpc_service="proto.TestService",grpc_method="Echo",grpc_code="OK"\} [1-9]/,
  );
  assert.match(text, /grpc_server_handled_total\{[^}]*grpc_code="InvalidArgument"\} 1/);
  assert.match(text, /apiserver_http_requests_total\{route="POST \/test\/echo",method="POST",code="200"\}/);
  assert.match(text, /grpc_server_handling_seconds_bucket/);
  const line = logs.find((l) => l.msg === 'request' && l.path === '/test/echo' && l.status === 413);
  assert.ok(line, 'access log line for the 413');
  assert.equal(line.user, 'system:anonymous');
  assert.equal(typeof line.requestId, 'string');
});

test('graceful shutdown: a request in flight finishes, new connections are refused, health says so', async () => {
  const { ApiHttpServer } = await import('../../../src/apiserver/http/server.ts');
  assert.ok(server instanceof ApiHttpServer);
  const started = new Promise<void>((r) => (slowStarted = r));
  const inflight = fetch(`${base}/test/slow`).then((r) => r.json());
  await started;
  const stopping = server.shutdown(5_000);
  releaseSlow();
  assert.deepEqual(await inflight, { done: true });
  await stopping;
  await assert.rejects(fetch(`${base}/healthz`));
});
