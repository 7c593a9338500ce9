import assert from 'node:assert/strict';
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
