/**
 * `npm run controlplane -- <command>`: the local control plane from the command line.
 *   build   build (or find cached) the pinned binaries
 *   up      start etcd + kube-apiserver (+ controller-manager, scheduler, KWOK) in the background
 *   down    stop everything `up` started and remove its state
 *   status  print the state of the running control plane
 */

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import { cacheDir, ensureBinaries, versions } from '../devcluster/binaries.ts';
import { ControlPlane, type ControlPlaneState } from '../devcluster/controlplane.ts';
import { killPid } from '../devcluster/process.ts';
import { exitWhenDone } from './startup.ts';

const help = `Usage: npm run controlplane -- <command> [options]

Commands:
  build                 Build the pinned binaries into the cache (Kubernetes ${versions.kubernetes}, etcd ${versions.etcd},
                        KWOK ${versions.kwok}, helm ${versions.helm}); a second run reuses them.
  up                    Start a local control plane in the background and print its kubeconfig path.
  down                  Stop everything 'up' started and remove its state directory.
  status                Print the running control plane's state (JSON).

Options for 'up':
  --no-controller-manager  Do not start kube-controller-manager (default: started).
  --no-scheduler           Do not start kube-scheduler (default: started).
  --kwok-nodes N           Start KWOK with N fake nodes (default 0).
  --dir DIR                State directory (default: $KUBERAY_TS_CACHE/dev-cluster).
  --audit-log FILE         Write the API server's audit log (JSON lines, level Metadata) to FILE.
  -h, --help               Show this help.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'no-controller-manager': { type: 'boolean' },
      'no-scheduler': { type: 'boolean' },
      'kwok-nodes': { type: 'string' },
      dir: { type: 'string' },
      'audit-log': { type: 'string' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(help);
    return command || values.help ? 0 : 2;
  }
  const dir = values.dir ?? join(cacheDir(), 'dev-cluster');
  const stateFile = join(dir, 'state.json');
  switch (command) {
    case 'build':
      await ensureBinaries([
        'etcd',
        'kube-apiserver',
        'kube-controller-manager',
        'kube-scheduler',
        'kubectl',
        'kwok',
        'helm',
      ]);
      console.log(`binaries ready in ${join(cacheDir(), 'bin')}`);
      return 0;
    case 'up': {
      if (existsSync(stateFile)) await down(stateFile, dir);
      const kwokNodes = Number(values['kwok-nodes'] ?? '0');
      if (!Number.isInteger(kwokNodes) || kwokNodes < 0) {
        console.error(`--kwok-nodes: expected a non-negative integer, got '${values['kwok-nodes']}'`);
        return 2;
      }
      const cp = await ControlPlane.start({
        dir,
        tiedToParent: false,
        controllerManager: !values['no-controller-manager'],
        scheduler: !values['no-scheduler'],
        kwokNodes,
        ...(values['audit-log'] ? { auditLog: resolve(values['audit-log']) } : {}),
        progress: (line) => console.error(`[controlplane] ${line}`),
      });
      console.log(`control plane ready at ${cp.server}`);
      console.log(`kubeconfig: ${cp.kubeconfig}`);
      console.log(`  export KUBECONFIG=${cp.kubeconfig}`);
      console.log(`  kubectl get --raw /readyz`);
      console.log(`logs: ${join(dir, 'logs')}; stop with: npm run controlplane -- down`);
      return 0;
    }
    case 'down':
      await down(stateFile, dir);
      console.log('control plane stopped');
      return 0;
    case 'status':
      if (!existsSync(stateFile)) {
        console.log('no control plane is running (no state file)');
        return 1;
      }
      console.log(readFileSync(stateFile, 'utf8'));
      return 0;
    default:
      console.error(`unknown command '${command}'\n`);
      process.stderr.write(help);
      return 2;
  }
}

async function down(stateFile: string, dir: string): Promise<void> {
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as ControlPlaneState;
    for (const pid of Object.values(state.pids).reverse()) await killPid(pid);
  }
  rmSync(dir, { recursive: true, force: true });
}

exitWhenDone(main(process.argv.slice(2)), (err) =>
  err instanceof Error ? `error: ${err.message}${err.cause ? ` (${String(err.cause)})` : ''}` : format(err),
);
