import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.ts';

const root = join(import.meta.dirname, '..', '..');
const node = join(root, 'node_modules/.bin/node');

/** A fresh build of the dashboard into a temp dir (never the checkout's dashboard/dist); `remove` deletes it. */
export function buildDashboard(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'krts-dashboard-'));
  const build = spawnSync(
    node,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: join(root, 'dashboard'), encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `node src/main/apiserver.ts` in the secure mode (`--auth=kubernetes`), serving the dashboard build in
 * `dashboardDir`, on 127.0.0.1:`port` (0: any); resolves with its base URL and a stop (SIGTERM, then the exit).
 * Killed when the test ends.
 */
export async function startApiServerProcess(
  t: { after: (fn: () => unknown) => void },
  opts: { kubeconfig: string; dashboardDir: string; port?: number },
): Promise<{ base: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    node,
    [
      join(root, 'src/main/apiserver.ts'),
      `--kubeconfig=${opts.kubeconfig}`,
      `--httpPortFlag=127.0.0.1:${opts.port ?? 0}`,
      '--rpcPortFlag=127.0.0.1:0',
      '--auth=kubernetes',
      '--cache-lists=false',
      `--dashboard-dir=${opts.dashboardDir}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUBECONFIG: '' } },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let port = 0;
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      const m = /"msg":"serving".*?"port":(\d+)/.exec(l);
      if (m) port = Number(m[1]);
    }
  });
  await eventually(
    () => {
      if (!port) throw new Error('the API server is not serving yet');
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const exited = new Promise((r) => child.once('exit', r));
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
