// biome-ignore-all lint/suspicious/noExplicitAny: API objects are untyped JSON
/**
 * The web dashboard in headless Chromium (playwright-core driving Debian's chromium) against a private control
 * plane with KWOK nodes, the operator (its own process) and the API server (its own process, secure mode,
 * serving a fresh build of the dashboard): log in with a ServiceAccount token, see a RayCluster appear live
 * and turn ready, scale a worker group, see the API server's message for bad YAML, delete with confirmation;
 * in a namespace without rights the user reads a clear 403 message.
 *
 * KUBERAY_TS_SCREENSHOTS=1 writes the pages to docs/dashboard/*.png (only then: a normal run writes nothing
 * into the repository).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumPath } from '../support/browser.ts';
import {
  dashboardToken,
  plainRayCluster,
  startApiServer,
  useDashboardEnvironment,
} from '../support/dashboard.ts';
import { eventually } from '../support/eventually.ts';
import { startOperatorProcess } from '../support/operator-process.ts';

const shotsDir = join(import.meta.dirname, '..', '..', 'docs', 'dashboard');
const screenshots = process.env.KUBERAY_TS_SCREENSHOTS === '1';
const skip = existsSync(chromiumPath)
  ? false
  : `no Chromium at ${chromiumPath} (scripts/install-deps.sh installs it)`;

const env = useDashboardEnvironment({ controllerManager: true, scheduler: true, kwokNodes: 1 }, skip);

async function namespace(name: string): Promise<void> {
  await env.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name } } });
  await eventually(() => env.client.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`));
}

/** Our API server (a process, secure mode) serving the dashboard build, on `listen` (0: any). */
const startServer = (t: TestContext, listen = 0) =>
  startApiServer({
    kubeconfig: env.cp.kubeconfig,
    distDir: env.distDir,
    listen,
    onExit: (fn) => t.after(fn),
  });

/** A RayCluster whose pods go to the KWOK node (the operator makes them; KWOK makes them ready). */
const kwokCluster = (name: string, ns: string) => plainRayCluster(name, ns, {}, { type: 'kwok' });

async function shot(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

async function setNamespace(page: Page, ns: string): Promise<void> {
  const input = page.locator('input[name="namespace"]');
  await input.fill(ns);
  await input.press('Enter');
}

test('dashboard: login, live list, state change, reconnect, scale, create, delete; a clear 403 elsewhere', {
  skip,
  timeout: 300_000,
}, async (t) => {
  await namespace('team-a');
  await namespace('team-b');
  const token = await dashboardToken(env.client, 'team-a', 'alice', { namespace: 'team-a' });
  const operator = startOperatorProcess(t, { kubeconfig: env.cp.kubeconfig, watchNamespace: 'team-a' });
  let server = await startServer(t);
  const base = server.base;

  const browser: Browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Any console error fails the test, except the browser's report of a failed call this test provokes on
  // purpose (a rejected token, a namespace without rights, invalid YAML, the API server stopped).
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const provoked =
      /Failed to load resource: (the server responded with a status of (401|403|422)|net::ERR_CONNECTION_REFUSED)/;
    if (!provoked.test(m.text())) consoleErrors.push(`${m.text()} at ${m.location().url}`);
  });

  // Login: a bad token is refused with the API server's reason; the ServiceAccount token is accepted.
  await page.goto(`${base}/`);
  await page.locator('textarea#token').fill('not-a-token');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').filter({ hasText: 'did not accept this token' }).waitFor();
  await shot(page, 'login');
  await page.locator('textarea#token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  // Alice may not list across all namespaces: the dashboard moves to her token's namespace and says why.
  await page.getByRole('heading', { name: /Overview of namespace team-a/ }).waitFor();
  await page.getByTestId('scope').filter({ hasText: 'showing namespace team-a' }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('kuberay-ts.token')), token);

  // A namespace without rights: a clear message naming the user and the refused verb.
  await setNamespace(page, 'team-b');
  const denied = page.getByTestId('card-rayclusters').getByRole('alert');
  await denied.waitFor();
  assert.match(
    (await denied.textContent()) ?? '',
    /You do not have access \(403\): .*User "system:serviceaccount:team-a:alice" cannot list resource "rayclusters".*namespace "team-b"/,
  );
  await shot(page, 'forbidden');

  // The user's namespace: the list is live, a cluster created elsewhere appears and turns ready.
  await setNamespace(page, 'team-a');
  await page.goto(`${base}/#/rayclusters`);
  await page.getByTestId('live').filter({ hasText: 'live' }).waitFor();
  // Every state the row shows is recorded, to see it change live (not just its final value).
  // (A string: this file is type-checked without the DOM library.)
  await page.evaluate(`(() => {
    const seen = [];
    window.seenStates = seen;
    new MutationObserver(() => {
      const text = document.querySelector('tr[data-name="demo"] .badge')?.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await env.client.request('POST', '/apis/ray.io/v1/namespaces/team-a/rayclusters', {
    body: kwokCluster('demo', 'team-a'),
  });
  const row = page.locator('tr[data-name="demo"]');
  await row.waitFor({ timeout: 5_000 });
  await row
    .locator('.badge', { hasText: 'ready' })
    .waitFor({ timeout: 90_000 })
    .catch((err) => {
      console.error(operator.logs.slice(-20));
      throw err;
    });
  const seen = (await page.evaluate('window.seenStates')) as string[];
  assert.equal(seen.at(-1), 'ready');
  assert.ok(seen.length >= 2 && seen[0] !== 'ready', `states seen live: ${seen.join(' -> ')}`);
  await shot(page, 'rayclusters');

  // The API server restarts: the list reconnects by itself and is live again; a change made meanwhile shows.
  await server.stop();
  await page.getByTestId('live').filter({ hasText: 'reconnecting' }).waitFor();
  await env.client.request('PATCH', '/apis/ray.io/v1/namespaces/team-a/rayclusters/demo', {
    body: { metadata: { labels: { restarted: 'yes' } } },
    contentType: 'application/merge-patch+json',
  });
  server = await startServer(t, Number(new URL(base).port));
  await page.getByTestId('live').filter({ hasText: 'live' }).waitFor({ timeout: 30_000 });
  await env.client.request('POST', '/apis/ray.io/v1/namespaces/team-a/rayclusters', {
    body: {
      ...kwokCluster('after-restart', 'team-a'),
      spec: { ...kwokCluster('x', 'team-a').spec, suspend: true },
    },
  });
  await page
    .locator('tr[data-name="after-restart"] .badge', { hasText: 'suspended' })
    .waitFor({ timeout: 30_000 });

  // Filters: a name that matches nothing, then the state filter.
  await page.locator('input[name="filter-name"]').fill('nothing-like-this');
  await page.getByText('No RayClusters match the filters.').waitFor();
  await page.locator('input[name="filter-name"]').fill('');
  await page.locator('select[name="filter-state"]').selectOption('ready');
  await row.waitFor();

  // Detail: summary, conditions, pods (from KWOK), the Ray dashboard path; scale the worker group.
  await row.getByRole('link', { name: 'demo' }).click();
  await page.getByRole('heading', { name: /RayCluster team-a\/demo/ }).waitFor();
  await page.getByText('RayClusterProvisioned').waitFor();
  await page
    .getByText('/api/v1/namespaces/team-a/services/demo-head-svc:dashboard/proxy/', { exact: true })
    .waitFor();
  await page.locator('td', { hasText: /^demo-head-/ }).waitFor({ timeout: 15_000 });
  await page.locator('input[name="replicas"]').fill('2');
  await page.getByRole('button', { name: 'Scale' }).click();
  await page.getByText('Worker group "small" set to 2 replicas.').waitFor();
  await eventually(async () => {
    const rc = await env.client.request<any>('GET', '/apis/ray.io/v1/namespaces/team-a/rayclusters/demo');
    assert.equal(rc.spec.workerGroupSpecs[0].replicas, 2);
  });
  await page
    .locator('select[name="group"] option', { hasText: 'small (now 2)' })
    .waitFor({ state: 'attached' });
  await page.locator('input[name="replicas"]').fill('9');
  await page.getByRole('button', { name: 'Scale' }).click();
  await page.getByText(/above the group's maxReplicas 4/).waitFor();
  await shot(page, 'raycluster-detail');

  // Create from YAML: the API server's (Kubernetes') message for an invalid object is shown.
  await page.goto(`${base}/#/create`);
  await page
    .locator('textarea[name="manifest"]')
    .fill(
      'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata:\n  name: Bad_Name\nspec:\n  headGroupSpec: {}\n',
    );
  await page.getByRole('button', { name: 'Create' }).click();
  const createError = page.getByRole('alert');
  await createError.waitFor();
  assert.match((await createError.textContent()) ?? '', /Not created: .*Bad_Name/);
  await shot(page, 'create');

  // A valid manifest of another kind is created, and the page moves to its detail page.
  await page
    .locator('textarea[name="manifest"]')
    .fill(
      [
        'apiVersion: ray.io/v1',
        'kind: RayCronJob',
        'metadata:',
        '  name: nightly',
        'spec:',
        '  schedule: "0 0 1 1 *"',
        '  suspend: true',
        '  jobTemplate:',
        '    entrypoint: python -c "print(1)"',
        '    rayClusterSpec:',
        '      headGroupSpec:',
        '        rayStartParams: {}',
        '        template:',
        '          spec:',
        '            containers: [{ name: ray-head, image: "rayproject/ray:2.46.0" }]',
        '',
      ].join('\n'),
    );
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('heading', { name: /RayCronJob team-a\/nightly/ }).waitFor();
  await page.locator('.badge', { hasText: 'Suspended' }).first().waitFor();
  await page.getByText('0 0 1 1 *', { exact: true }).waitFor();
  await page.goto(`${base}/#/raycronjobs`);
  await page.locator('tr[data-name="nightly"]').waitFor();

  // The overview counts by state.
  await page.goto(`${base}/#/`);
  const card = page.getByTestId('card-rayclusters');
  await card.getByRole('link', { name: /ready 1/ }).waitFor();
  await card.getByRole('link', { name: /suspended 1/ }).waitFor();
  assert.equal(await card.locator('.count').textContent(), '2');
  await page
    .getByTestId('card-raycronjobs')
    .getByRole('link', { name: /Suspended 1/ })
    .waitFor();
  await shot(page, 'overview');

  // Delete with confirmation, from the detail page; the page says it is gone.
  await page.goto(`${base}/#/rayclusters/team-a/demo`);
  await page.getByRole('button', { name: 'Delete' }).waitFor();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('gone').waitFor({ timeout: 30_000 });
  await eventually(async () => {
    await assert.rejects(
      env.client.request('GET', '/apis/ray.io/v1/namespaces/team-a/rayclusters/demo'),
      /404|not found/i,
    );
  });

  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
});
