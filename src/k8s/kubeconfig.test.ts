import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadKubeconfig } from './kubeconfig.ts';

test('loadKubeconfig resolves the current context, inline data and relative files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  writeFileSync(join(dir, 'ca.crt'), 'CA');
  writeFileSync(
    join(dir, 'config'),
    `apiVersion: v1
kind: Config
current-context: b
clusters:
- name: c1
  cluster: { server: 'https://127.0.0.1:6443', certificate-authority: ca.crt }
users:
- name: u1
  user: { token: abc, client-key-data: ${Buffer.from('KEY').toString('base64')} }
contexts:
- name: a
  context: { cluster: nope, user: u1 }
- name: b
  context: { cluster: c1, user: u1, namespace: ray }
`,
  );
  const access = loadKubeconfig(join(dir, 'config'));
  assert.equal(access.server, 'https://127.0.0.1:6443');
  assert.equal(access.ca?.toString(), 'CA');
  assert.equal(access.key?.toString(), 'KEY');
  assert.equal(access.token, 'abc');
  assert.equal(access.namespace, 'ray');
  assert.throws(() => loadKubeconfig(join(dir, 'config'), 'a'), /cluster 'nope' not found/);
  assert.throws(() => loadKubeconfig(join(dir, 'config'), 'zzz'), /context 'zzz' not found/);
});
