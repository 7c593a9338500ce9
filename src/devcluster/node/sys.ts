import { execFile, execFileSync } from 'node:child_process';
import { KuberayError } from '../../lib/errors.ts';

/** A failed system command (ip, mount, openssl ...), with its stderr. */
class SystemCommandError extends KuberayError {}

/** Runs a command to completion; rejects with its stderr when it fails. */
export function run(cmd: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args as string[],
      { timeout: 30_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new SystemCommandError(`${cmd} ${args.join(' ')}: ${stderr.trim() || err.message}`, {
              cause: err,
            }),
          );
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like run, but a failure is ignored (cleanup of things that may already be gone). */
export async function tryRun(cmd: string, args: readonly string[]): Promise<void> {
  await run(cmd, args).catch(() => {});
}

/** Synchronous best-effort command, for process-exit hooks only. */
export function runSyncQuiet(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, args as string[], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).toString();
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killQuiet(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
