import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNotFound, serveForTest } from './serve.test-support.ts';
import { DASHBOARD_CSP, loadStaticSite } from './static-site.ts';

test('the dashboard is served at / and /assets/*, with a strict CSP; nothing else from the directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(dir, '.secret'), 'no');
  const site = loadStaticSite(dir);
  assert.deepEqual([...site.keys()].sort(), ['/', '/assets/index-abc.css', '/assets/index-abc.js']);

  const base = await serveForTest(t, { dashboard: site });
  const index = await fetch(`${base}/`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('content-security-policy'), DASHBOARD_CSP);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  assert.match(await index.text(), /<title>x<\/title>/);
  const js = await fetch(`${base}/assets/index-abc.js`);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  assert.equal(await js.text(), 'console.log(1)');
  await assertNotFound(base, ['/.secret', '/assets/..%2F.secret', '/assets/missing.js']);
  const health = await fetch(`${base}/healthz`);
  assert.equal(health.status, 200);
  await health.body?.cancel();
});

test('loadStaticSite names the missing build', () => {
  assert.throws(
    () => loadStaticSite('/nonexistent/dist'),
    /no dashboard in \/nonexistent\/dist.*npm run build -w dashboard/,
  );
});
