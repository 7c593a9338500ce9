import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serveConfigBody } from './serve-config.ts';

test('serveConfigV2 YAML becomes the JSON body, with target_capacity only when given', () => {
  const yaml = 'http_options:\n  port: 8000\napplications:\n  - name: a\n    import_path: m:app\n';
  assert.deepEqual(serveConfigBody(yaml), {
    http_options: { port: 8000 },
    applications: [{ name: 'a', import_path: 'm:app' }],
  });
  assert.equal(serveConfigBody(yaml, 30).target_capacity, 30);
  assert.deepEqual(serveConfigBody(''), {});
});

test('bad serveConfigV2 is an error naming the field', () => {
  assert.throws(() => serveConfigBody('a: [1'), /spec\.serveConfigV2 is not valid YAML/);
  assert.throws(() => serveConfigBody('- 1\n- 2\n'), /spec\.serveConfigV2 must be a YAML mapping/);
});
