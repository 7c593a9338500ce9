import assert from 'node:assert/strict';
import { Agent, type AgentOptions, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ApiError } from './api-error.ts';
import { RestClient } from './rest.ts';

test('the write guard is asked again after the rate-limit wait: a writer that lost its Lease meanwhile sends nothing', async () => {
  let leading = true;
  let release: (() => void) | undefined;
  // Port 1 on loopback refuses connections: a request that got through would fail with ECONNREFUSED instead.
  const rest = new RestClient(
    { server: 'http://127.0.0.1:1' },
    {
      rateLimiter: {
        wait: () =>
          new Promise<number>((resolve) => {
            release = () => resolve(0);
          }),
      },
    },
  );
  rest.setWriteGuard(() => (leading ? undefined : 'not the leader'));
  const pending = rest.request('POST', '/api/v1/namespaces/a/pods', { body: {} }).then(
    () => assert.fail('the write was sent'),
    (e: unknown) => e,
  );
  await new Promise((r) => setImmediate(r));
  assert.ok(release, 'the request waits for a token');
  leading = false; // the Lease is lost while the request waits (a pause, a partition)
  release();
  const err = await pending;
  assert.ok(err instanceof ApiError, String(err));
  assert.equal(err.status, 0);
  assert.match(err.message, /not the leader/);
  rest.close();
});

test('the write guard is asked again once a new connection is ready: a write queued on a connecting socket is not sent after the Lease is lost', async () => {
  // A loopback server that counts what reaches it, and an agent whose name lookup the test holds, so the
  // request's new socket stays "connecting" (as a socket of a process paused mid-connect would) while the
  // Lease is lost.
  let received = 0;
  const server = createServer((req, res) => {
    received++;
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const held: (() => void)[] = [];
  const lookup = (_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
    held.push(() => (opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
  const agent = new Agent({ keepAlive: false, lookup } as AgentOptions);
  const rest = new RestClient({ server: `http://held.invalid:${port}` }, { agent });
  let leading = true;
  rest.setWriteGuard(() => (leading ? undefined : 'not the leader'));
  const waitHeld = async () => {
    while (held.length === 0) await new Promise((r) => setImmediate(r));
    return held.shift()!;
  };
  try {
    // While leading, the write goes out once connected.
    const ok = rest.request('POST', '/api/v1/namespaces/a/pods', { body: {} });
    (await waitHeld())();
    assert.deepEqual(await ok, {});
    assert.equal(received, 1);

    // The Lease is lost while the socket connects: nothing is sent.
    const pending = rest.request('POST', '/api/v1/namespaces/a/pods', { body: {} }).then(
      () => assert.fail('the write was sent'),
      (e: unknown) => e,
    );
    const release = await waitHeld();
    leading = false;
    release();
    const err = await pending;
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.status, 0);
    assert.match(err.message, /not the leader/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(received, 1, 'the refused write never reached the server');
  } finally {
    rest.close();
    agent.destroy();
    server.close();
  }
});

test('a body given as bytes is sent as it is, with its length in bytes, as a string body is', async () => {
  const seen: { length: string | undefined; type: string | undefined; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        length: req.headers['content-length'],
        type: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const rest = new RestClient({ server: `http://127.0.0.1:${port}` });
  const json = '{"metadata":{"name":"ré"}}';
  try {
    assert.deepEqual(await rest.request('POST', '/x', { body: Buffer.from(json) }), { ok: true });
    assert.deepEqual(await rest.request('POST', '/x', { body: json }), { ok: true });
    assert.deepEqual(await rest.request('POST', '/x', { body: JSON.parse(json) }), { ok: true });
    const expected = { length: String(Buffer.byteLength(json)), type: 'application/json', body: json };
    assert.deepEqual(seen, [expected, expected, expected]);
    assert.notEqual(expected.length, String(json.length), 'the name holds a two-byte character');
  } finally {
    rest.close();
    server.close();
  }
});
