import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

/**
 * `kubectl ray` as users install it from the package tarball: `npm pack` (which builds dist/ first) and
 * `npm install -g <tgz>` into a private prefix, then the installed `kubectl-ray` run by the machine's Node 20
 * (not the repository's Node 24: the tarball ships compiled JavaScript, no TypeScript sources) against the
 * control plane.
 */
const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..', '..');
const node20 = '/usr/bin/node';

test('npm pack + npm install -g: the installed kubectl-ray runs on Node 20 against the API server', {
  timeout: 600_000,
}, async (t) => {
  if (!existsSync(node20)) {
    t.skip(`no ${node20}: the test runs the installed plugin on the system's Node`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-ray-pkg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const npm = join(repo, 'node_modules', '.bin', 'npm');
  const npmCmd = existsSync(npm) ? npm : 'npm';
  await run(npmCmd, ['pack', '--silent', '--pack-destination', dir], { cwd: repo, maxBuffer: 1 << 24 });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tgz, 'npm pack wrote a tarball');
  const { stdout: listing } = await run('tar', ['-tzf', join(dir, tgz)], { maxBuffer: 1 << 24 });
  assert.match(listing, /^package\/dist\/src\/main\/kubectl-ray\.js$/m, 'the compiled CLI is in the tarball');
  assert.doesNotMatch(listing, /^package\/(src|test)\//m, 'no sources or tests in the tarball');

  const prefix = join(dir, 'prefix');
  await run(npmCmd, ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(dir, tgz)], {
    cwd: dir,
    maxBuffer: 1 << 24,
  });
  const bin = join(prefix, 'bin', 'kubectl-ray');
  assert.ok(existsSync(bin), 'npm linked the kubectl-ray executable');
  assert.ok(existsSync(join(prefix, 'bin', 'kubectl_complete-ray')), 'and the completion helper');
  // Only the system's Node 20 on the PATH.
  const env = { ...process.env, PATH: `/usr/bin:/bin`, KUBECONFIG: '', NO_COLOR: '1' };
  const help = await run(bin, ['--help'], { env });
  assert.match(help.stdout, /kubectl ray \[command\]/);

  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'cli-pkg');
  const created = await run(
    bin,
    [
      'create',
      'cluster',
      'pkg',
      '-n',
      ns,
      `--kubeconfig=${cluster.kubeconfig}`,
      '--head-cpu',
      '100m',
      '--dry-run',
    ],
    { env },
  );
  assert.match(created.stdout, /kind: RayCluster/);
  const listed = await run(bin, ['get', 'cluster', '-n', ns, `--kubeconfig=${cluster.kubeconfig}`], {
    env,
  }).catch((e: { stdout: string; stderr: string }) => e);
  assert.match(`${listed.stdout}${listed.stderr}`, /No resources found/);
});
