import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExecTokenSource, parseExecCredential } from './exec-credential.ts';
import { inClusterAccess } from './in-cluster.ts';

test('ExecTokenSource runs the plugin with its env, caches until expiry and refreshes after', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const calls: NodeJS.ProcessEnv[] = [];
  const source = new ExecTokenSource(
    { command: 'get-token', args: ['--x'], env: [{ name: 'A', value: '1' }] },
    {
      env: {},
      now: () => now,
      run: async (_cmd, _args, env) => {
        calls.push(env);
        return JSON.stringify({
          kind: 'ExecCredential',
          status: { token: `t${calls.length}`, expirationTimestamp: '2026-01-01T00:01:00Z' },
        });
      },
    },
  );
  assert.equal(await source.token(), 't1');
  assert.equal(await source.token(), 't1');
  assert.equal(calls[0]?.A, '1');
  assert.match(calls[0]?.KUBERNETES_EXEC_INFO ?? '', /"kind":"ExecCredential"/);
  now += 55_000;
  assert.equal(await source.token(), 't2');
  source.invalidate();
  assert.equal(await source.token(), 't3');
});

test('parseExecCredential names the plugin in its errors', () => {
  assert.throws(() => parseExecCredential('nope', 'aws'), /exec plugin 'aws' printed invalid JSON/);
  assert.throws(() => parseExecCredential('{"kind":"ExecCredential"}', 'aws'), /returned no status.token/);
});

test('inClusterAccess reads the service-account mount and the service env', () => {
  const files: Record<string, string> = {
    '/sa/ca.crt': 'CA',
    '/sa/token': 'T',
    '/sa/namespace': 'ray-system\n',
  };
  const read = (p: string) => {
    if (!(p in files)) throw new Error(`ENOENT ${p}`);
    return Buffer.from(files[p]!);
  };
  const access = inClusterAccess(
    { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
    read,
    '/sa',
  );
  assert.equal(access.server, 'https://[fd00::1]:443');
  assert.equal(access.tokenFile, '/sa/token');
  assert.equal(access.namespace, 'ray-system');
  assert.equal(access.ca?.toString(), 'CA');
  assert.throws(
    () => inClusterAccess({}, read, '/sa'),
    /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT/,
  );
});
