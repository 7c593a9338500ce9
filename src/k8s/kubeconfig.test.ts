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

test('an empty, blank or comment-only kubeconfig is a clear error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  for (const [name, text] of [
    ['empty', ''],
    ['blank', '\n  \n'],
    ['comments', '# nothing here\n'],
  ]) {
    const path = join(dir, name!);
    writeFileSync(path, text!);
    assert.throws(
      () => loadKubeconfig(path),
      (e: Error) => e.name === 'KubeconfigError' && e.message === `kubeconfig ${path} is empty`,
    );
  }
});

test('a malformed kubeconfig names the file and shows the YAML error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  const path = join(dir, 'config');
  writeFileSync(path, 'clusters:\n- name: c1\n  cluster: { server: "https://x\n');
  assert.throws(
    () => loadKubeconfig(path),
    (e: Error) =>
      e.name === 'KubeconfigError' &&
      e.message.startsWith(`kubeconfig ${path} is not valid YAML: `) &&
      e.message.length > `kubeconfig ${path} is not valid YAML: `.length,
  );
  writeFileSync(path, '- just\n- a list\n');
  assert.throws(() => loadKubeconfig(path), {
    message: `kubeconfig ${path} is not a kubeconfig: expected a YAML mapping`,
  });
  writeFileSync(path, 'current-context: a\ncontexts: oops\n');
  assert.throws(() => loadKubeconfig(path), {
    message: `kubeconfig ${path}: contexts must be a list`,
  });
  assert.throws(
    () => loadKubeconfig(join(dir, 'missing')),
    (e: Error) => e.message.startsWith(`cannot read kubeconfig ${join(dir, 'missing')}: ENOENT`),
  );
});
