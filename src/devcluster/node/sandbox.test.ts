import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepVisibleMounts } from './sandbox.ts';

test('host paths under /tmp are re-exposed inside the private /tmp; others need nothing', () => {
  const r = keepVisibleMounts('/var/lib/kuberay-ts/pods/p1/tmp', [
    '/tmp/ci/main',
    '/root/.cache/venv',
    '/tmp',
    '/tmpx/a',
  ]);
  assert.deepEqual(r.dirs, ['/var/lib/kuberay-ts/pods/p1/tmp/ci/main']);
  assert.equal(r.commands.length, 1);
  assert.match(r.commands[0]!, /^mount --bind .*\/tmp\/ci\/main.* .*\/pods\/p1\/tmp\/ci\/main/);
});
