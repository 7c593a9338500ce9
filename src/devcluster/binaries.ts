import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KuberayError } from '../lib/errors.ts';

/** The pinned versions; scripts/build-controlplane.sh builds exactly these. */
export const versions = {
  kubernetes: '1.34.1',
  etcd: '3.6.4',
  kwok: '0.7.0',
  helm: '3.19.0',
} as const;

export type BinaryName =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubectl'
  | 'kwok'
  | 'helm';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const buildScript = join(repoRoot, 'scripts', 'build-controlplane.sh');

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBERAY_TS_CACHE ?? join(homedir(), '.cache', 'kuberay-ts');
}

function versionOf(name: BinaryName): string {
  if (name === 'etcd') return versions.etcd;
  if (name === 'kwok') return versions.kwok;
  if (name === 'helm') return versions.helm;
  return versions.kubernetes;
}

/** Path of a cached binary at its pinned version (it may not exist yet). */
export function binaryPath(name: BinaryName, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'bin', `${name}-${versionOf(name)}`);
}

class BuildError extends KuberayError {}

/**
 * Makes sure the named binaries exist in the cache, building the missing ones with the build script
 * (its progress goes to stderr). Returns their paths.
 */
export async function ensureBinaries(
  names: readonly BinaryName[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<BinaryName, string>> {
  const missing = names.filter((n) => !existsSync(binaryPath(n, env)));
  if (missing.length > 0) {
    const code = await new Promise<number | null>((done) => {
      const child = spawn('bash', [buildScript, '--only', missing.join(',')], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env,
      });
      child.on('exit', done);
      child.on('error', () => done(-1));
    });
    if (code !== 0)
      throw new BuildError(`building ${missing.join(', ')} failed (exit ${code}); see the output above`);
  }
  const out = {} as Record<BinaryName, string>;
  for (const n of names) out[n] = binaryPath(n, env);
  return out;
}
