import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeClient } from '../../k8s/client.ts';
import { RestClient } from '../../k8s/rest.ts';
import { builtinSwaggerFiles } from '../swagger/files.ts';
import { assertNotFound, serveForTest } from './serve.test-support.ts';
import { loadSwaggerUi, SWAGGER_UI_CSP, swaggerInitializer } from './swagger-ui.ts';

test('the initializer lists every document, relative to the page, and turns the online validator off', () => {
  const js = swaggerInitializer(['cluster.swagger.json', 'job_submission.swagger.json']);
  assert.match(js, /"url":"\.\.\/swagger\/cluster\.swagger\.json","name":"cluster"/);
  assert.match(js, /"url":"\.\.\/swagger\/job_submission\.swagger\.json","name":"job_submission"/);
  assert.match(js, /validatorUrl: null/);
});

test('/swagger-ui/: the page, its package files, the listed documents; no token needed; nothing else', async (t) => {
  const docs = builtinSwaggerFiles();
  // The secure mode: the UI and the documents are public, the API is not.
  const base = await serveForTest(t, {
    // A client that points nowhere: no route of this test may reach Kubernetes.
    kube: new KubeClient(new RestClient({ server: 'http://127.0.0.1:9' })),
    auth: 'kubernetes',
    swaggerUi: loadSwaggerUi([...docs.keys()]),
  });
  const page = new URL(`${base}/swagger-ui/`);

  const index = await fetch(page);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('content-security-policy'), SWAGGER_UI_CSP);
  const html = await index.text();
  assert.doesNotMatch(html, /<script>/, 'no inline script');
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(
    refs.includes('./swagger-ui-bundle.js') && refs.includes('./swagger-initializer.js'),
    refs.join(),
  );
  for (const ref of refs) {
    const res = await fetch(new URL(ref, page));
    assert.equal(res.status, 200, ref);
    const type = res.headers.get('content-type') ?? '';
    const want = ref.endsWith('.js') ? 'text/javascript' : ref.endsWith('.css') ? 'text/css' : 'image/png';
    assert.ok(type.startsWith(want), `${ref}: ${type}`);
    if (ref === './swagger-ui-bundle.js') assert.match(await res.text(), /SwaggerUIBundle/);
    else await res.arrayBuffer();
  }

  const init = await (await fetch(new URL('./swagger-initializer.js', page))).text();
  const urls = [...init.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.deepEqual(urls.length, docs.size);
  for (const url of urls) {
    const res = await fetch(new URL(url, page));
    assert.equal(res.status, 200, url);
    assert.equal(((await res.json()) as { swagger: string }).swagger, '2.0', url);
  }

  const bare = await fetch(`${base}/swagger-ui`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get('location'), '/swagger-ui/');
  await assertNotFound(base, [
    '/swagger-ui/package.json',
    '/swagger-ui/swagger-ui.js.map',
    '/swagger-ui/index.html',
  ]);
  const api = await fetch(`${base}/apis/v1/clusters`);
  assert.equal(api.status, 401);
  await api.arrayBuffer();
});

test('a swagger-ui-dist directory without one of the served files is an error naming the directory and file', () => {
  assert.throws(() => loadSwaggerUi([], '/nonexistent/swagger-ui-dist'), {
    message: 'swagger-ui-dist in /nonexistent/swagger-ui-dist: swagger-ui-bundle.js is missing',
  });
});
