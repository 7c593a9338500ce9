/**
 * `node src/main/local-node.ts <command>`: the local node, which runs the pods bound to it as local processes.
 *   run     run a local node in the foreground until SIGINT/SIGTERM
 *   up      start one in the background (log and pid in the dev-cluster dir) and wait until it is Ready
 *   down    stop the background node started by `up`
 *   exec    run a command in a running pod's container: exec <ns>/<pod> [-c container] -- cmd...
 * Needs root (network namespaces, mounts). See docs/local-node.md.
 */

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cacheDir } from '../devcluster/binaries.ts';
import { nodeResources } from '../devcluster/node/capacity.ts';
import { execInContainer, findExecTarget } from '../devcluster/node/exec.ts';
import { LocalNode } from '../devcluster/node/local-node.ts';
import { killPid } from '../devcluster/process.ts';
import { errorMessage } from '../lib/errors.ts';
import { createLogger } from '../lib/logger.ts';
import { exitWhenDone } from './startup.ts';

const help = `Usage: node src/main/local-node.ts <command> [options]

Commands:
  run                   Run a local node in the foreground (Ctrl-C stops it and its pods).
  up                    Start a local node in the background and wait until it is Ready.
  down                  Stop the node 'up' started (its pods stop with it).
  exec <ns>/<pod> [-c container] -- cmd...
                        Run a command inside a running pod's container (its network, mount and UTS namespaces).

Options for run/up:
  --kubeconfig PATH     Cluster to join (default: $KUBECONFIG, else the 'npm run controlplane -- up' cluster).
  --name NAME           Node name (default local-node).
  --slot N              Network slot: pods get 10.213.N.0/24 on bridge krtsN (default: the first free one).
  --cpu Q --memory Q --pods N
                        Capacity to report (default: this machine's CPUs and memory, 110 pods; nothing is enforced).
  --label k=v           Extra node label (repeatable).
  --keep-node           Leave the Node object behind on stop (default: delete it).
  --dir DIR             Where up/down keep the node's pid and log (default: $KUBERAY_TS_CACHE/dev-cluster).
  --log-format F        console (default for run) or json.
  -h, --help            Show this help.
`;

let stateDir = join(cacheDir(), 'dev-cluster');
const devDir = () => stateDir;
const pidFile = () => join(devDir(), 'local-node.pid');

function defaultKubeconfig(): string {
  return process.env.KUBECONFIG?.split(':')[0] || join(devDir(), 'kubeconfig');
}

async function run(values: Record<string, string | boolean | string[] | undefined>): Promise<number> {
  const labels: Record<string, string> = {};
  for (const l of (values.label as string[] | undefined) ?? []) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new Error(`--label ${l}: expected key=value`);
    labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  const slot = values.slot === undefined ? undefined : Number(values.slot);
  if (slot !== undefined && !(Number.isInteger(slot) && slot >= 0 && slot < 64))
    throw new Error(`--slot ${values.slot}: expected 0..63`);
  const kubeconfig = (values.kubeconfig as string | undefined) ?? defaultKubeconfig();
  if (values.cpu !== undefined || values.memory !== undefined || values.pods !== undefined)
    // Refused before anything starts, naming the flag.
    nodeResources(
      {
        cpu: values.cpu as string | undefined,
        memory: values.memory as string | undefined,
        pods: values.pods as string | undefined,
      },
      { cpus: 1, memoryBytes: 1 },
    );
  if (!existsSync(kubeconfig))
    throw new Error(
      `kubeconfig ${kubeconfig} does not exist (start a control plane: npm run controlplane -- up)`,
    );
  const log = createLogger({ format: values['log-format'] === 'json' ? 'json' : 'console' });
  const node = await LocalNode.start({
    kubeconfig,
    ...(values.name ? { name: values.name as string } : {}),
    ...(slot !== undefined ? { slot } : {}),
    ...(values.cpu ? { cpu: values.cpu as string } : {}),
    ...(values.memory ? { memory: values.memory as string } : {}),
    ...(values.pods ? { pods: values.pods as string } : {}),
    labels,
    deleteNodeOnStop: !values['keep-node'],
    log,
  });
  console.error(`local node ${node.name} is Ready: pods get ${node.net.cidr} on bridge ${node.net.bridge}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await node.stop();
  return 0;
}

async function up(argv: string[]): Promise<number> {
  mkdirSync(devDir(), { recursive: true });
  const logFile = join(devDir(), 'local-node.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [import.meta.filename, 'run', ...argv], {
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  child.unref();
  writeFileSync(pidFile(), String(child.pid));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (readFileSync(logFile, 'utf8').includes(`is Ready: pods get`)) {
      console.log(`local node running (pid ${child.pid}); log: ${logFile}`);
      return 0;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(`the local node did not become ready; see ${logFile}`);
  return 1;
}

async function down(): Promise<number> {
  if (!existsSync(pidFile())) {
    console.log('no local node is running');
    return 0;
  }
  await killPid(Number(readFileSync(pidFile(), 'utf8')), 20_000);
  rmSync(pidFile(), { force: true });
  console.log('local node stopped');
  return 0;
}

async function exec(args: string[]): Promise<number> {
  const dash = args.indexOf('--');
  if (dash < 0 || dash === args.length - 1)
    throw new Error('exec: expected <ns>/<pod> [-c container] -- cmd...');
  const { values, positionals } = parseArgs({
    args: args.slice(0, dash),
    allowPositionals: true,
    options: { container: { type: 'string', short: 'c' } },
  });
  const ref = positionals[0] ?? '';
  const slash = ref.indexOf('/');
  const [ns, pod] = slash > 0 ? [ref.slice(0, slash), ref.slice(slash + 1)] : ['default', ref];
  if (!pod) throw new Error('exec: expected <ns>/<pod>');
  const target = findExecTarget('/var/lib/kuberay-ts', ns, pod, values.container);
  const r = await execInContainer(target, args.slice(dash + 1), 'inherit');
  return r.code;
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command === 'exec') return exec(argv.slice(1));
  const { values } = parseArgs({
    args: argv.slice(1),
    options: {
      help: { type: 'boolean', short: 'h' },
      kubeconfig: { type: 'string' },
      name: { type: 'string' },
      slot: { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      pods: { type: 'string' },
      label: { type: 'string', multiple: true },
      'keep-node': { type: 'boolean' },
      'log-format': { type: 'string' },
      dir: { type: 'string' },
    },
  });
  if (values.dir) stateDir = values.dir;
  if (values.help || !command || command === '--help' || command === '-h') {
    process.stdout.write(help);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'run':
      return run(values);
    case 'up':
      return up(argv.slice(1));
    case 'down':
      return down();
    default:
      console.error(`unknown command '${command}'\n`);
      process.stdout.write(help);
      return 2;
  }
}

exitWhenDone(main(process.argv.slice(2)), (err) => `local-node: ${errorMessage(err)}`);
