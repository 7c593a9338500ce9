/**
 * Writes src/api/go-types.generated.json: KubeRay v1.5.0's Go API types as the TypeScript encoder of Go's
 * JSON (src/api/go-json.ts) needs them, by running the Go generator in scripts/gen-go-field-order/ (its own
 * go.mod pins the ray-operator module and, through it, k8s.io/api).
 * Usage: node_modules/.bin/node scripts/gen-go-field-order.ts [--check]
 * `--check` writes nothing and exits 1 when the committed file differs (scripts/gen-go-field-order.test.ts
 * does the same check). Needs `go` on PATH; the built tools are cached in ~/.cache/kuberay-ts/go-field-order.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../src/devcluster/binaries.ts';

const root = join(import.meta.dirname, '..');
const goDir = join(import.meta.dirname, 'gen-go-field-order');
export const generatedPath = join(root, 'src', 'api', 'go-types.generated.json');

/** Builds one Go program of scripts/gen-go-field-order into the cache (a no-op when it is up to date). */
export function buildGoTool(pkg: '.' | './cmd/kuberay-hash'): string {
  const outDir = join(cacheDir(), 'go-field-order');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, pkg === '.' ? 'gen-go-field-order' : 'kuberay-hash');
  try {
    execFileSync('go', ['build', '-o', out, pkg], {
      cwd: goDir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`building ${pkg} in ${goDir} failed (is Go 1.24+ on PATH?): ${stderr || err}`, {
      cause: err,
    });
  }
  return out;
}

/** The content the generator writes today. */
export function generate(): string {
  return execFileSync(buildGoTool('.'), { encoding: 'utf8' });
}

if (import.meta.main) {
  const content = generate();
  let current = '';
  try {
    current = readFileSync(generatedPath, 'utf8');
  } catch {}
  if (current === content) process.exit(0);
  if (process.argv.includes('--check')) {
    console.error('src/api/go-types.generated.json is out of date; run scripts/gen-go-field-order.ts');
    process.exit(1);
  }
  writeFileSync(generatedPath, content);
  console.log(`wrote src/api/go-types.generated.json (${content.length} bytes)`);
}
