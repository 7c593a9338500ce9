import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KuberayError } from '../../lib/errors.ts';
import { isAlive } from './sys.ts';

/** What `exec` needs to run a command in a container: whose namespaces to enter, its env and cwd. */
export interface ExecTarget {
  readonly pid: number;
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir: string;
}

/** The per-pod file the node writes for `local-node exec` (root-only directory). */
export interface PodStateFile {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly sandboxPid?: number;
  readonly defaultContainer?: string;
  readonly containers: Record<string, { pid?: number; env: Record<string, string>; workingDir: string }>;
}

/** A container that cannot be exec'd into or attached to; `status` is the HTTP status a kubelet answers. */
export class ExecError extends KuberayError {
  readonly status: number;
  constructor(message: string, status = 500) {
    super(message);
    this.status = status;
  }
}

/** Finds a running container of a pod across every local node under `stateRoot`. */
export function findExecTarget(
  stateRoot: string,
  namespace: string,
  pod: string,
  container?: string,
): ExecTarget {
  const matches: PodStateFile[] = [];
  const slots = existsSync(stateRoot) ? readdirSync(stateRoot).filter((d) => d.startsWith('slot-')) : [];
  for (const slot of slots) {
    const podsDir = join(stateRoot, slot, 'pods');
    if (!existsSync(podsDir)) continue;
    for (const d of readdirSync(podsDir)) {
      if (!d.startsWith(`${namespace}_${pod}_`)) continue;
      try {
        const st = JSON.parse(readFileSync(join(podsDir, d, 'state.json'), 'utf8')) as PodStateFile;
        if (st.sandboxPid && isAlive(st.sandboxPid)) matches.push(st);
      } catch {
        // not started yet
      }
    }
  }
  if (matches.length === 0)
    throw new ExecError(`pod ${namespace}/${pod} is not running on a local node of this machine`);
  if (matches.length > 1)
    throw new ExecError(`pod ${namespace}/${pod} runs on ${matches.length} local nodes; stop the others`);
  return targetOf(matches[0]!, container);
}

/** The exec target of one container in a pod state. */
function targetOf(st: PodStateFile, container?: string): ExecTarget {
  const name = container ?? st.defaultContainer ?? Object.keys(st.containers)[0];
  const c = name ? st.containers[name] : undefined;
  if (!c)
    throw new ExecError(
      `pod ${st.namespace}/${st.name} has no container "${name}" (has: ${Object.keys(st.containers).join(', ')})`,
    );
  if (!c.pid || !isAlive(c.pid))
    throw new ExecError(`container ${name} of pod ${st.namespace}/${st.name} is not running`);
  return { pid: c.pid, env: c.env, workingDir: c.workingDir };
}

/** The nsenter command line that runs argv inside the target container. */
export function execCommand(t: ExecTarget, argv: readonly string[]): string[] {
  return ['nsenter', `--target=${t.pid}`, '--net', '--mount', '--uts', `--wd=${t.workingDir}`, '--', ...argv];
}

/** Runs argv in the container and collects its output (or passes the terminal through with `inherit`). */
export function execInContainer(
  t: ExecTarget,
  argv: readonly string[],
  stdio: 'pipe' | 'inherit' = 'pipe',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [cmd, ...args] = execCommand(t, argv);
  return new Promise((resolve) => {
    const child = spawn(cmd!, args, {
      env: { ...t.env },
      stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', (err) => resolve({ code: 127, stdout, stderr: `${stderr}${err.message}` }));
    child.once('close', (code, sig) => resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr }));
  });
}
