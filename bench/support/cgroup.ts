/**
 * A memory cgroup for the operator processes the bench starts, so an operator runs under a container's memory
 * limit as the Helm chart deploys it (`resources.limits.memory`, 512Mi by default in KubeRay's chart and ours).
 * That matters for a fair comparison: Go ignores the limit unless GOMEMLIMIT is set, while Node sizes its heap
 * from it (Node 24: 256 MiB of old space at a 512 MiB limit), which also makes V8 grow the heap less before each
 * collection (docs/decisions/0013-operator-heap-flags.md).
 *
 * Works with cgroup v2 (a unified hierarchy at /sys/fs/cgroup) and v1 (the memory controller mounted at
 * /sys/fs/cgroup/memory); needs the right to make a cgroup there (root in a container usually has it).
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemoryCgroup {
  /** The command and arguments that start `cmd args` inside the cgroup (the same pid: the shell execs it). */
  wrap(cmd: string, args: readonly string[]): [string, string[]];
  /** Processes of the cgroup killed by the kernel's OOM killer so far. */
  oomKills(): number;
  /** Removes the cgroup; its processes must have exited. */
  remove(): void;
}

const root = '/sys/fs/cgroup';

/** Parses `key value` lines (memory.events in v2, memory.oom_control in v1) into numbers. */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

export function memoryCgroup(name: string, limitMiB: number): MemoryCgroup {
  if (!/^[a-z0-9-]+$/.test(name))
    throw new Error(`cgroup name "${name}" must be lower-case letters, digits and -`);
  if (!Number.isInteger(limitMiB) || limitMiB <= 0)
    throw new Error(`memory limit must be a positive MiB count`);
  const v2 = existsSync(join(root, 'cgroup.controllers'));
  const dir = v2 ? join(root, name) : join(root, 'memory', name);
  if (!v2 && !existsSync(join(root, 'memory')))
    throw new Error(`no cgroup v1 memory controller at ${root}/memory`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, v2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitMiB * 1024 * 1024));
  } catch (err) {
    throw new Error(`cannot make the memory cgroup ${dir} (--memory-limit needs the right to): ${err}`);
  }
  const procs = join(dir, 'cgroup.procs');
  return {
    wrap: (cmd, args) => ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', procs, cmd, ...args]],
    oomKills: () => {
      try {
        const counts = parseKeyValues(
          readFileSync(join(dir, v2 ? 'memory.events' : 'memory.oom_control'), 'utf8'),
        );
        return counts.oom_kill ?? 0;
      } catch {
        return 0;
      }
    },
    remove: () => {
      try {
        rmdirSync(dir);
      } catch {
        // Still in use or already gone: the kernel keeps an empty cgroup harmlessly.
      }
    },
  };
}
