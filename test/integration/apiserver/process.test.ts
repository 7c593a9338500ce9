/** `node src/main/apiserver.ts` as a process: --help, a bad flag, serving, draining on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { testCluster } from '../../support/cluster.ts';
import { eventually } from '../../support/eventually.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const node = join(root, 'node_modules/.bin/node');
const main = join(root, 'src/main/apiserver.ts');

test('--help lists the flags; a bad flag (or a --dashboard-dir without a build) exits 2 naming it', () => {
  const help = spawnSync(node, [main, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--httpPortFlag string/);
  assert.match(help.stdout, /--auth string/);
  const bad = spawnSync(node, [main, '--auth=open'], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: '' },
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /invalid value "open" for flag -auth/);
  const noDashboard = spawnSync(node, [main, '--dashboard-dir=/nonexistent/dist'], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: '' },
  });
  assert.equal(noDashboard.status, 2);
  assert.match(noDashboard.stderr, /no dashboard in \/nonexistent\/dist .*npm run build -w dashboard/);
});

test('serves, logs each request as JSON, and exits 0 after draining on SIGTERM', {
  timeout: 120_000,
}, async (t) => {
  const { kubeconfig } = await testCluster();
  const child = spawn(
    node,
    [
      main,
      `--kubeconfig=${kubeconfig}`,
      '--httpPortFlag=127.0.0.1:0',
      '--rpcPortFlag=127.0.0.1:0',
      '--auth=none',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const l of parts) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  const serving = await eventually(
    () => {
      const l = lines.find((x) => x.msg === 'serving');
      if (!l) throw new Error('not serving yet');
      return l;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  assert.equal(serving.auth, 'none');
  assert.ok(Number(serving.grpcPort) > 0, 'the gRPC port is served too');
  assert.ok(lines.some((l) => l.level === 'warn' && /authentication is off/.test(String(l.msg))));
  const base = `http://127.0.0.1:${serving.port}`;
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
  assert.equal((await fetch(`${base}/apis/v1/namespaces/default/compute_templates`)).status, 200);
  await eventually(
    () => {
      if (
        !lines.some(
          (l) =>
            l.msg === 'request' &&
            l.path === '/apis/v1/namespaces/default/compute_templates' &&
            l.status === 200,
        )
      )
        throw new Error('no access log line yet');
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.ok(lines.some((l) => l.msg === 'signal received, draining requests'));
  assert.ok(lines.some((l) => l.msg === 'stopped'));
});
