/**
 * The images (Dockerfile: the operator, and `--target apiserver`) hold package.json, the production dependencies,
 * src/ without tests and the dashboard's build (.dockerignore). No image can be built on these machines, so this
 * checks what the images need instead: everything src/main/operator.ts and src/main/apiserver.ts import,
 * transitively, is inside src/ (and not a test file), a Node built-in, or a runtime dependency of package.json
 * (devDependencies are not installed in the image); the dashboard is built and copied where the API server looks.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helm.ts';

const entries = ['operator', 'apiserver'].map((n) => join(repoRoot, 'src', 'main', `${n}.ts`));

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

for (const entry of entries)
  test(`${relative(repoRoot, entry)} needs only src/ (no tests) and runtime dependencies`, () => {
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

test('the dashboard is built in the image and copied where the API server serves it from by default', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^RUN npm run build:dashboard$/m);
  const copy = /^COPY --from=build \/app\/dashboard\/dist\/ (\S+)$/m.exec(dockerfile);
  assert.ok(copy, 'the dashboard build is copied into the runtime stage');
  const workdir = /^FROM node:24-slim AS runtime\nENV [^\n]*\nWORKDIR (\S+)$/m.exec(dockerfile)?.[1];
  assert.equal(workdir, '/app');
  // src/main/apiserver.ts resolves its default from its own location: /app/src/main -> /app/dashboard/dist.
  const source = readFileSync(join(repoRoot, 'src', 'main', 'apiserver.ts'), 'utf8');
  const rel = /new URL\('([^']+)', import\.meta\.url\)/.exec(source)?.[1];
  assert.equal(rel, '../../dashboard/dist');
  assert.equal(resolve('/app/src/main', rel!), resolve(workdir!, copy[1]!));
  assert.match(dockerfile, /^FROM runtime AS apiserver\n(?:.*\n)*?ENTRYPOINT \["\/apiserver"\]$/m);
  assert.match(dockerfile, /exec node \/app\/src\/main\/apiserver\.js "\$@"/);
  const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!dashboard/'), '.dockerignore lets the dashboard sources in');
  assert.ok(ignore.includes('dashboard/node_modules/'), 'but not a local node_modules');
});

test('/manager starts the operator through scripts/operator-node.sh, which is in the build context', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const copy = /^COPY scripts\/operator-node\.sh (\S+)$/m.exec(dockerfile);
  assert.ok(copy, 'the launcher is copied into the runtime stage');
  assert.equal(
    copy[1],
    '/usr/local/bin/operator-node',
    'on the PATH of node:24-slim, where /manager finds it',
  );
  assert.match(dockerfile, /exec operator-node \/app\/src\/main\/operator\.js "\$@"\\n' > \/manager/);
  const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
  assert.ok(ignore.includes('!scripts/operator-node.sh'), '.dockerignore lets the launcher in');
  assert.ok(existsSync(join(repoRoot, 'scripts', 'operator-node.sh')));
});

test('the compiled build leaves out the test-only fake Ray dashboard', () => {
  const build = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8')) as {
    exclude?: string[];
  };
  for (const f of ['src/ray/fake-dashboard.ts', 'src/ray/fake-dashboard-server.ts']) {
    assert.ok(existsSync(join(repoRoot, f)), `${f} exists`);
    assert.ok(build.exclude?.includes(f), `tsconfig.build.json excludes ${f}`);
  }
});
