/**
 * Writes config/crd/bases/ray.io_<plural>.yaml from the ray.io TypeBox schemas in src/api.
 * Usage: node_modules/.bin/node scripts/gen-crds.ts [--check]
 * `--check` writes nothing and exits 1 when a committed file differs (the unit test src/api/crd.test.ts does
 * the same check).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderCrdFiles } from '../src/api/crd.ts';

const root = join(import.meta.dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const { path, content } of renderCrdFiles()) {
  const full = join(root, path);
  let current: string | undefined;
  try {
    current = readFileSync(full, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  if (check) {
    console.error(`${path} is out of date; run node_modules/.bin/node scripts/gen-crds.ts`);
    stale++;
    continue;
  }
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  console.log(`wrote ${path} (${content.length} bytes)`);
}
if (stale) process.exit(1);
