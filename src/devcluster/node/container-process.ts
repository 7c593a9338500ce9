import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { cgroupPids, signalCgroup } from './cgroups.ts';
import { shq } from './shell.ts';
import { killQuiet } from './sys.ts';
import type { BindMount } from './volumes.ts';

/** One run of a container's main process. */
export interface ContainerProcess {
  readonly pid: number;
  /** Resolves with the exit code (128+n for a signal) when the main process exits. */
  readonly exited: Promise<{ code: number; signal?: number }>;
  /** SIGTERM to every process of the container, SIGKILL after `graceMs`; resolves when the main one is gone. */
  stop(graceMs: number): Promise<void>;
  /** SIGKILL to every process of the container. */
  kill(): void;
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
}

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
 * mounts, its output appended to `logFile`, and its process tree in its cgroup.
 */
export function spawnContainer(s: ContainerSpawn): ContainerProcess {
  mkdirSync(dirname(s.logFile), { recursive: true });
  const fd = openSync(s.logFile, 'a');
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
    ...s.argv,
  ];
  const child = spawn('setpriv', args, { env: { ...s.env }, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  const pid = child.pid ?? -1;
  const exited = new Promise<{ code: number; signal?: number }>((resolve) => {
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
    // The main process may be gone while processes it daemonized (Ray's raylet, GCS) still run.
    signalAll('SIGTERM');
    await waitGone(graceMs);
    if (!allGone()) signalAll('SIGKILL');
    await exited;
    await waitGone(5000);
  };
  return { pid, exited, stop, kill: () => signalAll('SIGKILL') };
}
