import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { killQuiet } from './sys.ts';

/**
 * A cgroup per container, only to find every process a container started (Ray daemonizes its raylet, GCS and
 * dashboard), so stopping a container kills them all. No limits are set. cgroup v1 `pids` or v2 are used,
 * whichever is mounted; without either, containers fall back to their process group.
 */
export function cgroupRoot(): string | undefined {
  for (const root of ['/sys/fs/cgroup/pids', '/sys/fs/cgroup']) {
    if (existsSync(join(root, 'cgroup.procs'))) {
      try {
        const dir = join(root, 'kuberay-ts');
        mkdirSync(dir, { recursive: true });
        return dir;
      } catch {
        // not writable here
      }
    }
  }
  return undefined;
}

/** Pids in a cgroup and all its children. */
export function cgroupPids(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string) => {
    try {
      for (const line of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n'))
        if (line) out.push(Number(line));
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    } catch {
      // gone
    }
  };
  walk(dir);
  return out;
}

/** Signals every process in a cgroup tree. */
export function signalCgroup(dir: string, signal: NodeJS.Signals): number {
  const pids = cgroupPids(dir);
  for (const p of pids) killQuiet(p, signal);
  return pids.length;
}

/** Removes a cgroup tree (bottom-up); cgroups that still hold processes stay. */
export function removeCgroup(dir: string): void {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) removeCgroup(join(dir, e.name));
    rmdirSync(dir);
  } catch {
    // busy or gone
  }
}
