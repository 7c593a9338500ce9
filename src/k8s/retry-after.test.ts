import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfterMs } from './retry-after.ts';

test('retryAfterMs: 429 and 5xx with whole seconds are retried after them; the rest are answers', () => {
  assert.equal(retryAfterMs(429, '1'), 1000);
  assert.equal(retryAfterMs(503, ' 2 '), 2000);
  assert.equal(retryAfterMs(500, ['3', '9']), 3000);
  assert.equal(retryAfterMs(429, '0'), 0);
  assert.equal(retryAfterMs(429, '3600'), 60_000, 'capped at a minute');
  assert.equal(retryAfterMs(429, undefined), undefined, 'no header: no retry');
  assert.equal(retryAfterMs(500, undefined), undefined);
  assert.equal(
    retryAfterMs(429, 'Wed, 21 Oct 2026 07:28:00 GMT'),
    undefined,
    'HTTP dates are not used by Kubernetes',
  );
  assert.equal(retryAfterMs(429, '-1'), undefined);
  assert.equal(retryAfterMs(409, '1'), undefined, 'a conflict is an answer');
  assert.equal(retryAfterMs(404, '1'), undefined);
  assert.equal(retryAfterMs(200, '1'), undefined);
});
