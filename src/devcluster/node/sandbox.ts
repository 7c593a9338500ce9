import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rayVenvDir, repoRoot } from './images.ts';
import { shq } from './shell.ts';
import { killQuiet } from './sys.ts';

/** The per-pod namespaces holder: a `sleep` process in the pod's network, mount and UTS namespaces. */
export interface Sandbox {
  readonly pid: number;
  readonly netns: string;
  readonly hostsFile: string;
  readonly exited: Promise<void>;
  kill(): void;
}

interface SandboxOptions {
  readonly podDir: string;
  readonly netns: string;
  readonly hostname: string;
  readonly hosts: string;
  /** Size of the pod's private /dev/shm tmpfs (default 1g; Ray's object store lives there). */
  readonly shmSize?: string;
  /**
   * Host paths the pod's processes must still see when they lie under the host's /tmp, which the private /tmp
   * hides (default: the image runtimes: this repository and the Ray venv; a clone under /tmp still works).
   */
  readonly keepVisible?: readonly string[];
}

/** Mount commands that re-expose host paths under /tmp inside the pod's private /tmp dir `tmp`. */
export function keepVisibleMounts(
  tmp: string,
  paths: readonly string[],
): { dirs: string[]; commands: string[] } {
  const dirs: string[] = [];
  const commands: string[] = [];
  for (const p of paths) {
    const rel = relative('/tmp', p);
    if (rel === '' || rel.startsWith('..')) continue;
    const target = join(tmp, rel);
    dirs.push(target);
    commands.push(`mount --bind ${shq(p)} ${shq(target)}`);
  }
  return { dirs, commands };
}

/**
 * Starts the sandbox: inside the pod's network namespace, a new mount and UTS namespace with the pod's
 * hostname, a private /tmp (a directory of the pod), a private /dev/shm, and the pod's own /etc/hosts,
 * /etc/hostname and /etc/resolv.conf bind-mounted. Everything else is the host's filesystem. Resolves once the
 * mounts are in place.
 */
export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const etc = join(o.podDir, 'etc');
  const tmp = join(o.podDir, 'tmp');
  mkdirSync(etc, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  chmodSync(tmp, 0o1777);
  const keep = keepVisibleMounts(tmp, o.keepVisible ?? [repoRoot, rayVenvDir()]);
  for (const d of keep.dirs) mkdirSync(d, { recursive: true });
  const hostsFile = join(etc, 'hosts');
  writeFileSync(hostsFile, o.hosts);
  writeFileSync(join(etc, 'hostname'), `${o.hostname}\n`);
  // No DNS server exists for pods; a resolver on the pod's own loopback fails fast instead of timing out.
  writeFileSync(join(etc, 'resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  const script = [
    'set -e',
    `hostname ${shq(o.hostname)}`,
    `mount -t tmpfs -o size=${o.shmSize ?? '1g'},mode=1777 shm /dev/shm`,
    `mount --bind ${shq(hostsFile)} /etc/hosts`,
    `mount --bind ${shq(join(etc, 'hostname'))} /etc/hostname`,
    `mount --bind ${shq(join(etc, 'resolv.conf'))} /etc/resolv.conf`,
    // Last: the pod's files may live under /tmp on the host. Host paths the image runtimes need are bound
    // inside the private /tmp first (this mount namespace is private, so the host never sees them) and come
    // along with the recursive bind.
    ...keep.commands,
    `mount --rbind ${shq(tmp)} /tmp`,
    'echo ready',
    'exec sleep infinity',
  ].join('\n');
  const child = spawn(
    'setpriv',
    [
      '--pdeathsig',
      'SIGKILL',
      '--',
      'nsenter',
      `--net=/run/netns/${o.netns}`,
      '--',
      'unshare',
      '--mount',
      '--uts',
      '--propagation',
      'private',
      '--',
      '/bin/sh',
      '-c',
      script,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } },
  );
  child.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the pod sandbox did not start within 20s')), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the pod sandbox exited with ${code}: ${stderr.trim()}`));
    });
  });
  child.stdout.destroy();
  child.stderr.destroy();
  const pid = child.pid!;
  return { pid, netns: o.netns, hostsFile, exited, kill: () => killQuiet(pid, 'SIGKILL') };
}
