import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * true: the process dies with this one (PR_SET_PDEATHSIG through setpriv), so a crashed or killed test
   * run never leaves it behind. false: it outlives this process (the `up` command).
   */
  readonly tiedToParent: boolean;
  readonly cwd?: string;
}

/** Starts a long-running component with its output appended to a log file. */
export function startProcess(o: StartOptions): ManagedProcess {
  // The log file is handed to the child as its stdout/stderr: no pipes, so this process never waits on them.
  const fd = openSync(o.logFile, 'a');
  const [cmd, args] = o.tiedToParent
    ? ['setpriv', ['--pdeathsig', 'SIGKILL', '--', o.command, ...o.args]]
    : [o.command, [...o.args]];
  const child = spawn(cmd, args, {
    env: o.env ?? process.env,
    cwd: o.cwd,
    stdio: ['ignore', fd, fd],
    detached: !o.tiedToParent,
  });
  closeSync(fd);
  // Tied children die with us (pdeathsig), so they must not keep this process alive either.
  child.unref();
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(-1));
  });
  const stop = async (graceMs = 5000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name: o.name, pid: child.pid ?? -1, logFile: o.logFile, child, exited, stop };
}

/** Kills a process by pid (SIGTERM, then SIGKILL), for processes started by an earlier `up`. */
export async function killPid(pid: number, graceMs = 5000): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  // The process group first (the process and its children), else the process alone.
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {}
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) signal('SIGKILL');
}
