/**
 * Runs the test layers with node:test. Usage: node scripts/run-tests.ts [unit|integration|chaos|fuzz|compat|e2e|python ...]
 * (default: all layers). Integration tests share one real control plane started here (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and KWOK fake nodes); its kubeconfig reaches the test files in
 * KUBERAY_TS_TEST_KUBECONFIG. The compat layer (test/compat: our operator against KubeRay v1.5.0's) runs on
 * the same control plane after the integration files, on its own. The python layer (the Python clients' pytest
 * suite) runs last through clients/python/tests/harness.ts, which starts and stops its own local cluster.
 * When a layer with operators runs (integration, chaos, fuzz, compat, e2e), every control plane of the run writes
 * an API server audit log into KUBERAY_TS_AUDIT_DIR (a temp dir unless set; KUBERAY_TS_AUDIT=0 turns this off),
 * and scripts/rbac-audit.ts checks at the end that the operators used only what charts/kuberay-operator grants.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ControlPlane } from '../src/devcluster/controlplane.ts';
import { AUDIT_DIR_ENV, auditLogFile } from '../test/support/audit.ts';
import { tapFailures } from './tap-failures.ts';

const root = join(import.meta.dirname, '..');
const layers = process.argv.slice(2);
const want = (l: string) => layers.length === 0 || layers.includes(l);
if (layers.includes('--help') || layers.includes('-h')) {
  console.log(
    'Usage: node scripts/run-tests.ts [unit] [integration] [chaos] [fuzz] [compat] [e2e] [python]   (default: all)\n' +
      'chaos and fuzz run their short profile; KUBERAY_TS_CHAOS=long runs the long one (same code).',
  );
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
const unitRoots = [
  join(root, 'src'),
  join(root, 'scripts'),
  join(root, 'clients', 'typescript', 'src'),
  join(root, 'bench'),
  join(root, 'dashboard', 'src'),
];
if (want('unit')) files.push(...unitRoots.flatMap((d) => find(d, isTest)));
if (want('integration')) files.push(...find(join(root, 'test', 'integration'), isTest));
if (want('chaos')) files.push(...find(join(root, 'test', 'chaos'), isTest));
if (want('fuzz')) files.push(...find(join(root, 'test', 'fuzz'), isTest));
if (want('compat')) files.push(...find(join(root, 'test', 'compat'), isTest));
if (want('e2e')) files.push(...find(join(root, 'test', 'e2e'), isTest));
files.sort();

const env = { ...process.env };
let cp: ControlPlane | undefined;
const stop = async () => {
  await cp?.stop();
};
/** The temporary directory of the batches' TAP files, once made. */
let tapDir: string | undefined;
/** The audit-log directory this run made for itself (not one given in the environment), once made. */
let ownAuditDirPath: string | undefined;
/** The child process running now (a test batch, the RBAC check, the Python suite) and its exit. */
let current: { child: ChildProcess; exited: Promise<number> } | undefined;
let interrupted = false;
// An interrupted run passes the signal on to its child, stops the control plane, removes the TAP files and
// exits as a process killed by that signal would (130 for SIGINT, 143 for SIGTERM). A second signal kills at once.
for (const [sig, exitCode] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(sig, () => {
    interrupted = true;
    current?.child.kill(sig);
    void Promise.allSettled([current?.exited, stop()])
      .then(() => {
        for (const dir of [tapDir, ownAuditDirPath]) if (dir) rmSync(dir, { recursive: true, force: true });
      })
      .finally(() => process.exit(exitCode));
  });
}
/** Runs node with these arguments, sharing this process's stdio; resolves to its exit code (1 when killed). */
const runNode = (args: readonly string[]) => {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env, cwd: root });
  const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  current = { child, exited };
  // Once interrupted, the signal handler ends the process: the run goes no further than this child.
  return exited.then((c) => (interrupted ? new Promise<number>(() => {}) : c));
};

const needsCluster = files.some((f) => !unitRoots.some((d) => f.startsWith(d)));
// The RBAC audit (docs/reliability.md): on for every run with operators in it, unless KUBERAY_TS_AUDIT=0.
const auditedLayers = ['integration', 'chaos', 'fuzz', 'compat', 'e2e'].filter(want);
const ownAuditDir = !env[AUDIT_DIR_ENV];
const auditDir =
  needsCluster && auditedLayers.length > 0 && env.KUBERAY_TS_AUDIT !== '0'
    ? (env[AUDIT_DIR_ENV] ?? mkdtempSync(join(tmpdir(), 'kuberay-ts-audit-')))
    : undefined;
if (ownAuditDir) ownAuditDirPath = auditDir;
if (auditDir) {
  env[AUDIT_DIR_ENV] = auditDir;
  console.error(`[run-tests] API server audit logs in ${auditDir} (the RBAC check reads them at the end)`);
} else delete env[AUDIT_DIR_ENV];
if (needsCluster && !env.KUBERAY_TS_TEST_KUBECONFIG) {
  const t0 = Date.now();
  cp = await ControlPlane.start({
    controllerManager: true,
    scheduler: true,
    kwokNodes: 2,
    progress: (l) => console.error(`[run-tests] ${l}`),
    ...(auditDir ? { auditLog: auditLogFile(auditDir, 'shared') } : {}),
  });
  env.KUBERAY_TS_TEST_KUBECONFIG = cp.kubeconfig;
  console.error(
    `[run-tests] control plane ready in ${((Date.now() - t0) / 1000).toFixed(1)}s at ${cp.server}`,
  );
}

// Unit and integration files run two at a time; end-to-end files (real Ray on a local node) run one at a
// time after them, since each brings up its own local cluster and Ray wants the machine's cores.
// The compat files start two operators over every KubeRay sample: they run after the integration files, so
// they do not compete with them for the shared control plane.
const e2eRoot = join(root, 'test', 'e2e');
const compatRoot = join(root, 'test', 'compat');
const chaosRoot = join(root, 'test', 'chaos');
const fuzzRoot = join(root, 'test', 'fuzz');
// The fuzz files run with the chaos ones: one at a time, each with its own operator on the shared control plane.
const sequential = (f: string) => f.startsWith(chaosRoot) || f.startsWith(fuzzRoot);
const batches = [
  files.filter((f) => !f.startsWith(e2eRoot) && !f.startsWith(compatRoot) && !sequential(f)),
  files.filter((f) => f.startsWith(e2eRoot)),
  files.filter((f) => f.startsWith(compatRoot)),
  files.filter(sequential),
];
// Each batch also writes TAP to a file, so every failure is printed again at the very end (a CI log's tail).
tapDir = mkdtempSync(join(tmpdir(), 'kuberay-ts-tap-'));
const tapFiles: string[] = [];
const runBatch = (batch: string[], concurrency: number) => {
  console.error(`[run-tests] ${batch.length} test files: ${batch.map((f) => relative(root, f)).join(' ')}`);
  const tap = join(tapDir!, `batch-${tapFiles.length}.tap`);
  tapFiles.push(tap);
  return runNode([
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...batch,
  ]);
};
/** Prints each failed test of the batches again, with its error, and removes the TAP files. */
const summarizeFailures = () => {
  const failures = tapFiles.flatMap((f) => {
    try {
      return tapFailures(readFileSync(f, 'utf8'));
    } catch {
      return [];
    }
  });
  rmSync(tapDir!, { recursive: true, force: true });
  if (failures.length === 0) return;
  console.error(`[run-tests] ${failures.length} failed test(s), again:`);
  for (const f of failures) {
    console.error(`[run-tests] FAILED ${f.name}${f.location ? ` (${relative(root, f.location)})` : ''}`);
    for (const line of f.details.slice(0, 25)) console.error(`    ${line}`);
  }
};
let code = 0;
if (batches[0]!.length > 0) code = await runBatch(batches[0]!, 2);
// The chaos files kill and restart operators on the shared control plane: one at a time, after the
// integration files and before the compat ones.
if (batches[3]!.length > 0) {
  const chaosCode = await runBatch(batches[3]!, 1);
  code = code || chaosCode;
}
if (batches[2]!.length > 0) {
  const compatCode = await runBatch(batches[2]!, 2);
  code = code || compatCode;
}
if (batches[1]!.length > 0) {
  // The shared control plane is not used by e2e tests: free its memory and CPU first.
  await stop();
  const e2eCode = await runBatch(batches[1]!, 1);
  code = code || e2eCode;
}
await stop();
if (auditDir) {
  // Every operator request of the layers above against what the chart grants; fails on an ungranted one.
  const auditCode = await runNode([
    join(root, 'scripts', 'rbac-audit.ts'),
    auditDir,
    '--layers',
    auditedLayers.join(','),
  ]);
  code = code || auditCode;
  // A temp dir of our own goes when the check passed (the logs can reach gigabytes); kept to look into otherwise.
  if (ownAuditDir && auditCode === 0) rmSync(auditDir, { recursive: true, force: true });
}
if (want('python')) {
  const pyCode = await runNode([join(root, 'clients', 'python', 'tests', 'harness.ts')]);
  code = code || pyCode;
}
summarizeFailures();
process.exit(code);
