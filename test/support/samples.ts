import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../../src/devcluster/binaries.ts';

/** The KubeRay release whose operator and sample manifests the tests use (scripts/build-kuberay.sh). */
export const kuberayVersion = '1.5.0';
const kuberayModule = 'github.com/ray-project/kuberay/ray-operator';

/** KubeRay's operator binary built from the Go module proxy by scripts/build-kuberay.sh (may not exist). */
export const kuberayOperatorPath: string = join(cacheDir(), 'bin', `kuberay-operator-${kuberayVersion}`);

function goModCache(): string | undefined {
  try {
    return execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The folder of KubeRay's sample manifests: the module's `config/samples`, copied into the cache by
 * scripts/build-kuberay.sh (run by scripts/install-deps.sh), or, failing that, straight from the Go module
 * cache. A missing folder throws: a test that needs the samples fails, it is never skipped.
 */
export function resolveSamplesDir(): string {
  const copied = join(cacheDir(), `kuberay-samples-${kuberayVersion}`);
  if (existsSync(join(copied, '.ready'))) return copied;
  const modCache = goModCache();
  const inModule = modCache && join(modCache, `${kuberayModule}@v${kuberayVersion}`, 'config', 'samples');
  if (inModule && existsSync(inModule)) return inModule;
  throw new Error(
    `KubeRay v${kuberayVersion} sample manifests not found (looked in ${copied}` +
      `${inModule ? ` and ${inModule}` : ''}): run scripts/build-kuberay.sh (part of scripts/install-deps.sh)`,
  );
}

export const samplesDir: string = resolveSamplesDir();
