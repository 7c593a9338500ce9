import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

/**
 * What the operator process loads before it does anything (every static import of src/main/operator.ts runs
 * before `--help` is read). Each module costs resident memory for the process's whole life
 * (docs/performance.md), so what the start path never uses must stay out of it.
 */
function loadedByOperatorStart(): { urls: string[]; internals: string[] } {
  const probe = [
    "import { registerHooks } from 'node:module';",
    'const urls = [];',
    'registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });',
    "process.on('exit', () => process.stderr.write('\\n@@' + JSON.stringify({ urls, internals: process.moduleLoadList })));",
  ].join('\n');
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(probe)}`,
      join(import.meta.dirname, 'operator.ts'),
      '--help',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stderr.slice(r.stderr.lastIndexOf('@@') + 2));
}

test('the operator start path loads no TypeBox, OpenTelemetry, Pushgateway, yaml, webhooks, undici or child_process', () => {
  const { urls, internals } = loadedByOperatorStart();
  assert.ok(
    urls.some((u) => u.endsWith('/src/main/controllers.ts')),
    'the probe saw the controllers load',
  );
  for (const unused of [
    '/@sinclair/typebox/',
    '/@opentelemetry/',
    '/prom-client/lib/pushgateway.js',
    '/prom-client/index.js',
    '/node_modules/yaml/',
    '/src/webhooks/',
  ])
    assert.deepEqual(
      urls.filter((u) => u.includes(unused)),
      [],
      unused,
    );
  // An ESM value import of node:http reads its lazy WebSocket getters, which load Node's bundled undici.
  assert.deepEqual(
    internals.filter((m) => /undici|child_process/.test(m)),
    [],
  );
});
