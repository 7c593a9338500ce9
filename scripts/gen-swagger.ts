/**
 * Writes src/apiserver/swagger/<file>.swagger.json (OpenAPI 2.0, one per V1 service) from the routes and
 * messages the API server uses (src/apiserver/swagger/render.ts).
 * Usage: node_modules/.bin/node scripts/gen-swagger.ts [--check]
 * `--check` writes nothing and exits 1 when a committed file differs or is missing (the unit test
 * src/apiserver/swagger/render.test.ts does the same check).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSwaggerFiles, SWAGGER_DIR } from '../src/apiserver/swagger/render.ts';

const check = process.argv.includes('--check');
let stale = 0;
for (const { name, content } of renderSwaggerFiles()) {
  const full = join(SWAGGER_DIR, name);
  let current: string | undefined;
  try {
    current = readFileSync(full, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  if (check) {
    console.error(
      `src/apiserver/swagger/${name} is out of date; run node_modules/.bin/node scripts/gen-swagger.ts`,
    );
    stale++;
    continue;
  }
  writeFileSync(full, content);
  console.log(`wrote src/apiserver/swagger/${name} (${content.length} bytes)`);
}
if (stale) process.exit(1);
