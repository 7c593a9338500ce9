import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

/**
 * The import layers of docs/architecture.md: each top-level folder of src/ may import only the folders listed
 * for it (and itself). `main/` is the composition root and may import anything.
 */
const allowed: Readonly<Record<string, readonly string[]>> = {
  lib: [],
  api: ['lib'],
  k8s: ['lib', 'api'],
  config: ['lib', 'api'],
  runtime: ['lib', 'k8s'],
  builders: ['lib', 'api', 'config'],
  ray: ['lib', 'api', 'k8s'],
  controllers: ['lib', 'api', 'k8s', 'runtime', 'builders', 'ray', 'config'],
  webhooks: ['lib', 'api', 'k8s', 'runtime', 'config'],
  apiserver: ['lib', 'api', 'k8s', 'runtime', 'config', 'builders', 'ray'],
  cli: ['lib', 'api', 'k8s', 'builders', 'ray', 'devcluster'],
  devcluster: ['lib', 'api', 'k8s'],
  main: ['*'],
};

const src = resolve(import.meta.dirname);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

export function importsOf(source: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2])!);
  return out;
}

test('importsOf finds static, re-export and dynamic imports', () => {
  const found = importsOf(
    "import a from './a.ts';\nexport { b } from '../b.ts';\nconst c = await import('./c.ts');\n",
  );
  assert.deepEqual(found, ['./a.ts', '../b.ts', './c.ts']);
});

test('every source file imports only from the layers below it', () => {
  const violations: string[] = [];
  for (const file of tsFiles(src)) {
    const rel = relative(src, file);
    const layer = rel.split('/')[0]!;
    if (!rel.includes('/')) continue;
    const may = allowed[layer];
    if (!may) {
      violations.push(`${rel}: folder '${layer}' is not in the layer table`);
      continue;
    }
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        if (layer === 'lib' && !spec.startsWith('node:'))
          violations.push(`${rel}: lib/ may import node: only, not '${spec}'`);
        continue;
      }
      const target = relative(src, resolve(dirname(file), spec));
      if (target.startsWith('..')) {
        violations.push(`${rel}: imports '${spec}' outside src/`);
        continue;
      }
      const to = target.split('/')[0]!;
      if (to === layer || may.includes('*') || may.includes(to)) continue;
      violations.push(`${rel}: ${layer}/ may not import ${to}/ ('${spec}')`);
    }
  }
  assert.deepEqual(violations, []);
});

/** One definition of each type: an exported type or interface name is declared in one file of src/. */
test('every exported type name is declared in one file', () => {
  const files = new Map<string, string[]>();
  for (const file of tsFiles(src)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^export (?:type|interface) ([A-Za-z0-9_]+)/gm))
      files.set(m[1]!, [...(files.get(m[1]!) ?? []), relative(src, file)]);
  }
  assert.deepEqual(
    [...files].filter(([, where]) => where.length > 1),
    [],
  );
});

/**
 * `as unknown as` hides a type mismatch. Non-test sources use it only where the
 * reason is written next to it: the config file's decoding boundary (parsed YAML becomes the typed file) and the
 * API server's gRPC bridge (a call runs its HTTP route's handler with a request stand-in that carries only the
 * URL and the authorization header, and no response object: the handler's result is encoded as the RPC's reply).
 */
const allowedDoubleCasts: Readonly<Record<string, number>> = {
  'apiserver/grpc/server.ts': 2,
  'config/file.ts': 1,
};

test('as-unknown-as casts only where allowed', () => {
  const found: Record<string, number> = {};
  for (const file of tsFiles(src)) {
    const n = readFileSync(file, 'utf8').split('as unknown as').length - 1;
    if (n > 0) found[relative(src, file)] = n;
  }
  assert.deepEqual(found, allowedDoubleCasts);
});

/**
 * The fake Ray dashboard (`ray/fake-dashboard.ts` and the HTTP server over it) is a test double: only tests and
 * test support (`*.test.ts`, `*.test-support.ts`, test/) import it, each from its own file. No production file,
 * barrels included, may import it, so the operator's bundle and the `ray/` barrel never carry it.
 */
const fakeDashboardFiles = ['ray/fake-dashboard.ts', 'ray/fake-dashboard-server.ts'];

test('no production file imports the fake dashboard', () => {
  const importers: string[] = [];
  for (const file of tsFiles(src)) {
    const rel = relative(src, file);
    if (fakeDashboardFiles.includes(rel) || rel.endsWith('.test-support.ts')) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.') && fakeDashboardFiles.includes(relative(src, resolve(dirname(file), spec))))
        importers.push(`${rel}: '${spec}'`);
    }
  }
  assert.deepEqual(importers, []);
});
