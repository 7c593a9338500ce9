/**
 * The operator image (Dockerfile) holds package.json, the production dependencies and src/ without tests
 * (.dockerignore). No image can be built on these machines, so this checks what the image needs instead:
 * everything src/main/operator.ts imports, transitively, is inside src/ (and not a test file), a Node
 * built-in, or a runtime dependency of package.json (devDependencies are not installed in the image).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helm.ts';

const entry = join(repoRoot, 'src', 'main', 'operator.ts');
const skip = existsSync(entry) ? false : 'src/main/operator.ts does not exist yet';

/** Static and dynamic import specifiers of a TypeScript source (type-only imports excluded). */
function importsOf(source: string): string[] {
  const out: string[] = [];
  const re =
    /(?:^|[\s;])(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2])!);
  return out;
}

const packageName = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

test('the operator entry point needs only src/ (no tests) and runtime dependencies', { skip }, () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const runtimeDeps = new Set(Object.keys(pkg.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const seen = new Set<string>();
  const problems: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = relative(repoRoot, file);
    if (!rel.startsWith('src/')) problems.push(`${rel} is outside src/ (not copied into the image)`);
    if (rel.endsWith('.test.ts')) problems.push(`${rel} is a test file (excluded from the image)`);
    if (!existsSync(file)) {
      problems.push(`${rel} does not exist`);
      continue;
    }
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else if (spec.startsWith('node:') || builtins.has(spec)) continue;
      else if (!runtimeDeps.has(packageName(spec)))
        problems.push(`${rel} imports ${spec}, which is not a runtime dependency in package.json`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(seen.size > 20, `the import graph was followed (${seen.size} files)`);
});
