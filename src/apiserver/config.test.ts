import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApiServerConfig, durationFlag, parseListenAddress } from './config.ts';

const config = (argv: string[], env: Record<string, string> = {}) => {
  const r = buildApiServerConfig(argv, env);
  assert.equal(r.kind, 'config');
  return r.kind === 'config' ? r.config : assert.fail();
};

test("KubeRay's defaults: :8888, 60s, v2 on, no CORS, secure auth", () => {
  const c = config([]);
  assert.equal(c.httpPort, 8888);
  assert.equal(c.httpHost, undefined);
  assert.equal(c.requestTimeoutMs, 60_000);
  assert.equal(c.enableV2, true);
  assert.deepEqual(c.corsAllowOrigins, []);
  assert.equal(c.auth, 'kubernetes');
  assert.equal(c.dashboardDir, '', 'the dashboard: the default build location, when built');
  assert.equal(config(['--dashboard-dir=/srv/ui']).dashboardDir, '/srv/ui');
  assert.equal(config(['--dashboard-dir', 'none']).dashboardDir, 'none');
});

test('Go flag syntax, KubeRay names; SECURITY_TOKEN from env', () => {
  const c = config(
    [
      '-httpPortFlag',
      '127.0.0.1:0',
      '--grpc_timeout=1m30s',
      '-enable-api-server-v2=false',
      '-cors-allow-origin=*',
      '-auth=security-proxy',
    ],
    { SECURITY_TOKEN: 't' },
  );
  assert.equal(c.httpHost, '127.0.0.1');
  assert.equal(c.httpPort, 0);
  assert.equal(c.requestTimeoutMs, 90_000);
  assert.equal(c.enableV2, false);
  assert.deepEqual(c.corsAllowOrigins, ['*']);
  assert.equal(c.securityToken, 't');
});

test('bad values name the flag', () => {
  assert.throws(
    () => buildApiServerConfig(['-auth=open'], {}),
    /flag -auth: want one of kubernetes, none, security-proxy/,
  );
  assert.throws(() => buildApiServerConfig(['-auth=security-proxy'], {}), /needs the shared token/);
  assert.throws(() => buildApiServerConfig(['-nope'], {}), /flag provided but not defined: -nope/);
  assert.throws(() => durationFlag('10 parsecs', 'grpc_timeout'), /flag -grpc_timeout/);
  assert.throws(() => durationFlag('-5s', 'grpc_timeout'), /flag -grpc_timeout/);
  assert.equal(durationFlag('1m30s', 'grpc_timeout'), 90_000);
  assert.equal(durationFlag('1.5h', 'grpc_timeout'), 5_400_000);
  assert.throws(() => parseListenAddress('localhost', 'httpPortFlag'), /-httpPortFlag: want \[host\]:port/);
  assert.throws(() => buildApiServerConfig(['-tls-cert-file=a'], {}), /given together/);
});

test('--help lists every flag', () => {
  const r = buildApiServerConfig(['--help'], {});
  assert.equal(r.kind, 'help');
  if (r.kind === 'help')
    for (const f of ['httpPortFlag', 'grpc_timeout', 'auth', 'cors-allow-origin'])
      assert.match(r.text, new RegExp(`--${f}`));
});
