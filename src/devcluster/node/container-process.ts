import { spawn } from 'node:child_process';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { cgroupPids, signalCgroup } from './cgroups.ts';
import { ContainerIO } from './container-io.ts';
import { ttyCommand } from './pty.ts';
import { shq } from './shell.ts';
import { killQuiet } from './sys.ts';
import type { BindMount } from './volumes.ts';

/** One run of a container's main process. */
export interface ContainerProcess {
  readonly pid: number;
  /** Resolves with the exit code (128+n for a signal) when the main process exits. */
  readonly exited: Promise<{ code: number; signal?: number }>;
  /**
   * SIGTERM to the main process; SIGKILL to every process of the container once it exited or after `graceMs`;
   * resolves when they are gone.
   */
  stop(graceMs: number): Promise<void>;
  /** SIGKILL to every process of the container. */
  kill(): void;
  /** Its output (to the log file and attached clients), stdin and terminal. */
  readonly io: ContainerIO;
}

export interface ContainerSpawn {
  /** Pid of the pod's sandbox (its namespaces are entered). */
  readonly sandboxPid: number;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir: string;
  readonly mounts: readonly BindMount[];
  readonly logFile: string;
  /** The container's cgroup dir, or undefined to track its process group only. */
  readonly cgroup?: string;
  /** `stdin: true`: the process reads a pipe the node holds open (else /dev/null). */
  readonly stdin?: boolean;
  readonly stdinOnce?: boolean;
  /** `tty: true`: the process runs on a pseudo-terminal (stdout and stderr are one stream then). */
  readonly tty?: boolean;
}

/** The host's Python for the pty helper inside a container (the image's PATH may put another first). */
const HOST_PYTHON = '/usr/bin/python3';
/** How long output may still arrive after the main process exits before its status is reported. */
const DRAIN_MS = 250;

/** The shell prologue run inside the container's namespaces before exec'ing its command. */
export function containerScript(s: Pick<ContainerSpawn, 'mounts' | 'workingDir' | 'cgroup'>): string {
  const lines = ['set -e'];
  if (s.cgroup) lines.push(`echo $$ > ${shq(`${s.cgroup}/cgroup.procs`)}`);
  for (const m of s.mounts) {
    const src = shq(m.source);
    const dst = shq(m.target);
    // A missing source is a subPath in a writable volume: Kubernetes creates it as a directory.
    lines.push(`[ -e ${src} ] || mkdir -p ${src}`);
    lines.push(
      `if [ -d ${src} ]; then mkdir -p ${dst}; else mkdir -p "$(dirname ${dst})"; [ -e ${dst} ] || : > ${dst}; fi`,
    );
    lines.push(`mount --bind ${src} ${dst}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${dst}`);
  }
  lines.push(`mkdir -p ${shq(s.workingDir)}`, `cd ${shq(s.workingDir)}`, 'exec "$@"');
  return lines.join('\n');
}

/**
 * Starts a container's main process in the pod's namespaces, with its own mount namespace for its volume
 * mounts, its output read by the node (written to `logFile` as CRI records, passed to attached clients),
 * and its process tree in its cgroup.
 */
export function spawnContainer(s: ContainerSpawn): ContainerProcess {
  const argv = s.tty ? ttyCommand(s.argv, HOST_PYTHON) : s.argv;
  const args = [
    '--pdeathsig',
    'SIGKILL',
    '--',
    'nsenter',
    `--target=${s.sandboxPid}`,
    '--net',
    '--mount',
    '--uts',
    '--',
    'unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    containerScript(s),
    'container',
    ...argv,
  ];
  const child = spawn('setpriv', args, {
    env: { ...(s.tty ? { TERM: 'xterm' } : {}), ...s.env },
    stdio: [s.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(s.tty ? (['pipe'] as const) : [])],
    detached: true,
  });
  child.unref();
  const io = new ContainerIO({
    logFile: s.logFile,
    stdout: child.stdout,
    stderr: child.stderr,
    stdin: child.stdin,
    resize: s.tty ? (child.stdio[3] as Writable | null) : null,
    tty: !!s.tty,
    stdinOnce: !!s.stdinOnce,
  });
  // The pipes are sockets: like the child, they must not keep the node's process alive.
  for (const p of [child.stdout, child.stderr, child.stdin, child.stdio[3]])
    if (p instanceof Socket) p.unref();
  const pid = child.pid ?? -1;
  const exitedRaw = new Promise<{ code: number; signal?: number }>((resolve) => {
    child.once('exit', (code, sig) => {
      const n = sig
        ? ((
            { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1, SIGABRT: 6, SIGSEGV: 11 } as Record<
              string,
              number
            >
          )[sig] ?? 1)
        : undefined;
      resolve(n !== undefined ? { code: 128 + n, signal: n } : { code: code ?? 0 });
    });
    child.once('error', () => resolve({ code: 128 }));
  });
  // Output written just before the exit is read after it: give the pipes a moment, so `kubectl logs` of a
  // finished container has its last lines (processes it daemonized may hold the pipes open much longer).
  const exited = exitedRaw.then(async (r) => {
    if (!io.ended)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, DRAIN_MS);
        io.subscribe(
          () => {},
          () => {
            clearTimeout(t);
            resolve();
          },
        );
      });
    return r;
  });
  const signalAll = (sig: NodeJS.Signals) => {
    if (s.cgroup) signalCgroup(s.cgroup, sig);
    try {
      process.kill(-pid, sig);
    } catch {
      killQuiet(pid, sig);
    }
  };
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const allGone = () => done && (!s.cgroup || cgroupPids(s.cgroup).length === 0);
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (!allGone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  };
  const stop = async (graceMs: number) => {
    // As a kubelet does: SIGTERM to the container's main process only (its PID 1), which passes it on to what
    // it started as it sees fit; when the main process exits, or at the end of the grace period, SIGKILL to
    // every process left (the runtime kills what remains of a container whose init exited). A SIGTERM to the
    // whole group at once made `ray start --block` hang in its own SIGTERM handler while its raylet and GCS
    // shut down on their own, so every Ray pod took its full grace period (30 s) to go.
    if (!done) {
      killQuiet(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    signalAll('SIGKILL');
    await exited;
    await waitGone(5000);
    io.end();
  };
  return { pid, exited, stop, kill: () => signalAll('SIGKILL'), io };
}
