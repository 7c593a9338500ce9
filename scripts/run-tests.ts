/**
 * Runs the test layers with node:test. Usage: node scripts/run-tests.ts [unit|integration|e2e ...]
 * (default: all layers). Integration tests share one real control plane started here (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and KWOK fake nodes); its kubeconfig reaches the test files in
 * KUBERAY_TS_TEST_KUBECONFIG.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ControlPlane } from '../src/devcluster/controlplane.ts';

const root = join(import.meta.dirname, '..');
const layers = process.argv.slice(2);
const want = (l: string) => layers.length === 0 || layers.includes(l);
if (layers.includes('--help') || layers.includes('-h')) {
  console.log('Usage: node scripts/run-tests.ts [unit] [integration] [e2e]   (default: all)');
  process.exit(0);
}

function find(dir: string, match: (f: string) => boolean, out: string[] = []): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) find(p, match, out);
    else if (match(p)) out.push(p);
  }
  return out;
}

const isTest = (f: string) => f.endsWith('.test.ts');
const files: string[] = [];
if (want('unit')) files.push(...find(join(root, 'src'), isTest), ...find(join(root, 'scripts'), isTest));
if (want('integration')) files.push(...find(join(root, 'test', 'integration'), isTest));
if (want('e2e')) files.push(...find(join(root, 'test', 'e2e'), isTest));
files.sort();

let cp: ControlPlane | undefined;
const stop = async () => {
  await cp?.stop();
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void stop().finally(() => process.exit(130));
  });
}

const needsCluster = files.some(
  (f) => !f.startsWith(join(root, 'src')) && !f.startsWith(join(root, 'scripts')),
);
const env = { ...process.env };
if (needsCluster && !env.KUBERAY_TS_TEST_KUBECONFIG) {
  const t0 = Date.now();
  cp = await ControlPlane.start({
    controllerManager: true,
    scheduler: true,
    kwokNodes: 2,
    progress: (l) => console.error(`[run-tests] ${l}`),
  });
  env.KUBERAY_TS_TEST_KUBECONFIG = cp.kubeconfig;
  console.error(
    `[run-tests] control plane ready in ${((Date.now() - t0) / 1000).toFixed(1)}s at ${cp.server}`,
  );
}

console.error(`[run-tests] ${files.length} test files: ${files.map((f) => relative(root, f)).join(' ')}`);
const code = await new Promise<number>((resolve) => {
  const child = spawn(
    process.execPath,
    ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
    {
      stdio: 'inherit',
      env,
      cwd: root,
    },
  );
  child.on('exit', (c) => resolve(c ?? 1));
});
await stop();
process.exit(code);
