import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinSwaggerFiles } from '../swagger/files.ts';
import { renderSwaggerFiles } from '../swagger/render.ts';
import { assertNotFound, serveForTest } from './serve.test-support.ts';
import { loadSwaggerFiles } from './swagger.ts';

test('/swagger/{file}: the *.swagger.json files of -localSwaggerPath, nothing else (Go 404 otherwise)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'swagger-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'cluster.swagger.json'), '{"swagger":"2.0"}');
  writeFileSync(join(dir, 'notes.txt'), 'no');
  const files = loadSwaggerFiles(dir);
  assert.deepEqual([...files.keys()], ['cluster.swagger.json']);

  const base = await serveForTest(t, { swagger: files });
  const ok = await fetch(`${base}/swagger/cluster.swagger.json`);
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-type'), 'application/json');
  assert.deepEqual(await ok.json(), { swagger: '2.0' });
  const notServed = ['/swagger/notes.txt', '/swagger/job.swagger.json', '/swagger/..%2Fcluster.swagger.json'];
  await assertNotFound(base, notServed, '404 page not found\n');
});

test('loadSwaggerFiles names the flag and the directory', () => {
  assert.throws(
    () => loadSwaggerFiles('/nonexistent/swagger'),
    /-localSwaggerPath \/nonexistent\/swagger: not a readable directory/,
  );
});

test('without -localSwaggerPath, /swagger/{file} serves our generated files, byte for byte', async (t) => {
  const generated = renderSwaggerFiles();
  const builtin = builtinSwaggerFiles();
  assert.deepEqual([...builtin.keys()].sort(), generated.map((f) => f.name).sort());
  for (const f of generated) assert.equal(builtin.get(f.name)?.toString('utf8'), f.content, f.name);

  const base = await serveForTest(t, {});
  for (const f of generated) {
    const res = await fetch(`${base}/swagger/${f.name}`);
    assert.equal(res.status, 200, f.name);
    assert.equal(res.headers.get('content-type'), 'application/json', f.name);
    assert.equal(await res.text(), f.content, f.name);
  }
  await assertNotFound(base, ['/swagger/image_template.swagger.json']);
});
