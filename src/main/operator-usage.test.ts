import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

test('a KUBERAY_POD_UID that is not a UID is a usage error: exit 2 naming the variable, before any connection', () => {
  const { KUBECONFIG: _k, KUBERNETES_SERVICE_HOST: _h, ...env } = process.env;
  const r = spawnSync(process.execPath, [join(import.meta.dirname, 'operator.ts')], {
    encoding: 'utf8',
    env: { ...env, KUBERAY_POD_UID: 'kuberay-operator-7f9c' },
    timeout: 30_000,
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /KUBERAY_POD_UID: want the pod's UID/);
  assert.match(r.stderr, /Run with --help for usage/);
});
