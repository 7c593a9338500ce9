import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEach } from './managed-by.ts';

class Failed extends Error {}

test('applyEach runs every write, a failed one not stopping the rest, then throws one error naming each failure', async () => {
  const ran: number[] = [];
  await assert.rejects(
    applyEach(
      [1, 2, 3],
      async (n) => {
        ran.push(n);
        return n === 2 ? undefined : `write ${n} failed`;
      },
      Failed,
    ),
    (e) => e instanceof Failed && e.message === 'write 1 failed; write 3 failed',
  );
  assert.deepEqual(ran, [1, 2, 3]);
});

test('applyEach returns quietly when every write succeeds', async () => {
  const ran: string[] = [];
  await applyEach(
    ['a', 'b'],
    async (s) => {
      ran.push(s);
      return undefined;
    },
    Failed,
  );
  assert.deepEqual(ran, ['a', 'b']);
});
