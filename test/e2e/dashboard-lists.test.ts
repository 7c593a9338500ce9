/**
 * The dashboard's lists in headless Chromium (playwright-core driving Debian's chromium) against a private
 * control plane and our API server (a process, secure mode, serving a fresh build): pages listed by the server
 * (`limit`/`continue`) through more objects than a page holds, live changes on the visible page and a count of
 * the ones added elsewhere, the label selector applied by the server, the keyboard (Tab, Enter, arrows); and a
 * user with rights in one namespace only taken there, told plainly where they have none.
 * No operator and no Ray: the objects are only listed. Any console error or page error fails the test.
 * KUBERAY_TS_SCREENSHOTS=1 writes docs/dashboard/{rayclusters-paged,namespace-denied}.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumPath } from '../support/browser.ts';
import {
  dashboardToken,
  plainRayCluster,
  startApiServer,
  useDashboardEnvironment,
} from '../support/dashboard.ts';
import { eventually } from '../support/eventually.ts';

const skip = existsSync(chromiumPath)
  ? false
  : `no Chromium at ${chromiumPath} (scripts/install-deps.sh installs it)`;

const shotsDir = join(import.meta.dirname, '..', '..', 'docs', 'dashboard');
const screenshots = process.env.KUBERAY_TS_SCREENSHOTS === '1';

async function shot(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
}

const env = useDashboardEnvironment({}, skip);

async function namespace(name: string): Promise<void> {
  await env.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name } } });
}

const RC = (ns: string) => `/apis/ray.io/v1/namespaces/${ns}/rayclusters`;

/** A page that records console errors and page errors; the test asserts none happened. */
async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return page;
}

async function logIn(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('textarea#token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Overview/ }).waitFor();
}

const rowNames = (page: Page) =>
  page
    .locator('tbody tr[data-name]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));

test('dashboard lists: server pages, live page, label selector, keyboard; a namespace user', {
  skip,
  timeout: 300_000,
}, async (t) => {
  await namespace('many');
  await namespace('team-a');
  await namespace('team-b');
  // 130 RayClusters: more than two pages of 50; the even ones carry team=ml.
  const names = Array.from({ length: 130 }, (_, i) => `rc-${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 10)
    await Promise.all(
      names.slice(i, i + 10).map((n) =>
        env.client.request('POST', RC('many'), {
          body: plainRayCluster(n, 'many', Number(n.slice(3)) % 2 === 0 ? { team: 'ml' } : {}),
        }),
      ),
    );
  await env.client.request('POST', RC('team-a'), { body: plainRayCluster('mine', 'team-a') });
  const viewer = await dashboardToken(env.client, 'many', 'viewer', 'cluster');
  const alice = await dashboardToken(env.client, 'team-a', 'alice', { namespace: 'team-a' });
  const server = await startApiServer({
    kubeconfig: env.cp.kubeconfig,
    distDir: env.distDir,
    onExit: (fn) => t.after(fn),
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const errors: string[] = [];

  // A user with cluster-wide rights pages through one namespace, 50 at a time.
  const page = await openPage(browser, errors);
  await logIn(page, server.base, viewer);
  await page.locator('input[name="namespace"]').fill('many');
  await page.locator('input[name="namespace"]').press('Enter');
  await page.goto(`${server.base}/#/rayclusters?limit=50`);
  const counts = page.getByTestId('counts');
  await counts.filter({ hasText: '50 of 50 on page 1 (80 more after it)' }).waitFor();
  assert.deepEqual(await rowNames(page), names.slice(0, 50));
  await page.getByRole('button', { name: 'Next' }).click();
  await counts.filter({ hasText: 'on page 2' }).waitFor();
  await page.getByTestId('page').filter({ hasText: 'Page 2' }).waitFor();
  await eventually(async () => assert.deepEqual(await rowNames(page), names.slice(50, 100)));
  await page.getByRole('button', { name: 'Next' }).click();
  await counts.filter({ hasText: '30 of 30 on page 3' }).waitFor();
  assert.deepEqual(await rowNames(page), names.slice(100));
  assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
  // The last page is open-ended: a new object after its last key appears on it, live.
  await env.client.request('POST', RC('many'), { body: plainRayCluster('rc-zz-last', 'many') });
  await page.locator('tr[data-name="rc-zz-last"]').waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByTestId('page').filter({ hasText: 'Page 2' }).waitFor();
  await eventually(async () => assert.deepEqual(await rowNames(page), names.slice(50, 100)));
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByTestId('page').filter({ hasText: 'Page 1' }).waitFor();
  await page.getByTestId('live').filter({ hasText: 'live' }).waitFor();

  // On page 1: an object in its key range appears in place, a deleted one goes, one after it is counted.
  await env.client.request('POST', RC('many'), { body: plainRayCluster('rc-000-b', 'many') });
  await page.locator('tr[data-name="rc-000-b"]').waitFor({ timeout: 10_000 });
  assert.deepEqual((await rowNames(page)).slice(0, 3), ['rc-000', 'rc-000-b', 'rc-001']);
  await env.client.request('DELETE', `${RC('many')}/rc-010`);
  await page.locator('tr[data-name="rc-010"]').waitFor({ state: 'detached', timeout: 10_000 });
  await env.client.request('POST', RC('many'), { body: plainRayCluster('rc-999', 'many') });
  await page.getByTestId('new-elsewhere').filter({ hasText: '1 new RayCluster on other pages' }).waitFor();
  assert.equal(await page.locator('tr[data-name="rc-999"]').count(), 0);
  await shot(page, 'rayclusters-paged');
  await page.getByRole('button', { name: 'Reload from the first page' }).click();
  await page.getByTestId('new-elsewhere').waitFor({ state: 'detached' });

  // The label selector goes to the server: 64 objects with team=ml (65 less rc-010), two pages.
  await page.locator('input[name="filter-label"]').fill('team in (ml');
  await page.getByRole('alert').filter({ hasText: 'label selector: "team in (ml"' }).waitFor();
  await page.locator('input[name="filter-label"]').fill('team=ml');
  await page.locator('input[name="filter-label"]').press('Enter');
  await counts.filter({ hasText: '50 of 50 on page 1' }).waitFor();
  const ml = names.filter((n) => Number(n.slice(3)) % 2 === 0 && n !== 'rc-010');
  await eventually(async () => assert.deepEqual(await rowNames(page), ml.slice(0, 50)));
  assert.match(page.url(), /label=team%3Dml/);
  await page.getByRole('button', { name: 'Next' }).click();
  await counts.filter({ hasText: '14 of 14 on page 2' }).waitFor();
  assert.deepEqual(await rowNames(page), ml.slice(50));

  // The keyboard: Tab reaches the rows (after the filters and the column buttons), arrows move, Enter opens.
  await page.goto(`${server.base}/#/rayclusters?limit=50&label=team%3Dml`);
  await page.locator('tr[data-name="rc-000"]').waitFor();
  await page.locator('input[name="filter-name"]').focus();
  // (Strings: this file is type-checked without the DOM library.)
  const focused = async () =>
    (await page.evaluate(
      `(() => { const el = document.activeElement; return el?.getAttribute('data-name') ?? el?.getAttribute('name') ?? el?.textContent ?? ''; })()`,
    )) as string;
  const order: string[] = [];
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  assert.deepEqual(order.slice(0, 9), [
    'filter-state',
    'filter-label',
    'page-size',
    'Name ▲',
    'Namespace',
    'State',
    'Age',
    'rc-000',
    'rc-002',
  ]);
  assert.equal(order[9], 'rc-004');
  const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
  assert.equal(outline, 'solid', 'the focused row shows the focus');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'rc-000');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'rc-006');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/rayclusters\/many\/rc-006$/);
  await page.getByRole('heading', { name: /RayCluster many\/rc-006/ }).waitFor();

  // A user with rights in team-a only: taken there from "all namespaces", with a word why; team-b is refused
  // plainly, with team-a offered.
  const alicePage = await openPage(browser, errors);
  await logIn(alicePage, server.base, alice);
  await alicePage
    .getByTestId('scope')
    .filter({ hasText: 'cannot list across all namespaces; showing namespace team-a' })
    .waitFor();
  await alicePage.getByRole('heading', { name: 'Overview of namespace team-a' }).waitFor();
  await alicePage.goto(`${server.base}/#/rayclusters`);
  await alicePage.locator('tr[data-name="mine"]').waitFor();
  await alicePage.locator('input[name="namespace"]').fill('team-b');
  await alicePage.locator('input[name="namespace"]').press('Enter');
  const scope = alicePage.getByTestId('scope');
  await scope.filter({ hasText: 'may not list Ray objects in namespace team-b' }).waitFor();
  await shot(alicePage, 'namespace-denied');
  await scope.getByRole('button', { name: 'team-a' }).click();
  await alicePage.locator('tr[data-name="mine"]').waitFor();
  assert.deepEqual(
    await alicePage.evaluate(() => JSON.parse(sessionStorage.getItem('kuberay-ts.namespaces') ?? '[]')),
    ['team-a', 'team-b'],
  );

  // The 403 of a list in team-b is the browser's "Failed to load resource" console error: expected there.
  assert.deepEqual(
    errors.filter((e) => !/the server responded with a status of 403/.test(e)),
    [],
  );
});
