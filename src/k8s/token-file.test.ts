import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../lib/clock.ts';
import { FileTokenSource } from './token-file.ts';

test('FileTokenSource reads the file once a minute and again after invalidate()', async () => {
  const clock = new FakeClock(0);
  let content = 'first\n';
  const reads: string[] = [];
  const source = new FileTokenSource('/var/run/token', {
    clock,
    read: (p) => {
      reads.push(p);
      return content;
    },
  });
  assert.equal(await source.token(), 'first');
  content = 'second';
  clock.advance(59_999);
  assert.equal(await source.token(), 'first', 'within the minute, the token read before');
  assert.equal(reads.length, 1);
  clock.advance(1);
  assert.equal(await source.token(), 'second', 'a minute on, the file is read again (a rotated token)');
  content = 'third';
  source.invalidate();
  assert.equal(await source.token(), 'third', 'after a 401, at once');
  assert.deepEqual(reads, ['/var/run/token', '/var/run/token', '/var/run/token']);
});

test('FileTokenSource: a file that cannot be read fails the request, and is tried again on the next', async () => {
  let fail = true;
  const source = new FileTokenSource('/missing', {
    clock: new FakeClock(0),
    read: () => {
      if (fail) throw new Error('ENOENT: no such file');
      return 'tok';
    },
  });
  await assert.rejects(source.token(), /ENOENT/);
  fail = false;
  assert.equal(await source.token(), 'tok');
});
