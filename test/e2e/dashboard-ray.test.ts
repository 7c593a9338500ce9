// biome-ignore-all lint/suspicious/noExplicitAny: API objects are untyped JSON
/**
 * The dashboard's forms with real Ray on the local node, in headless Chromium (playwright-core driving Debian's
 * chromium) against the operator and the API server (its own process, secure mode, serving a fresh build):
 * a ServiceAccount with rights in one namespace logs in, creates a RayCluster from a compute template form
 * (a value the form refuses first), sees it turn ready live, follows the head pod's log, submits a job from
 * the form and watches it reach SUCCEEDED with its log, reads a RayJob's log, suspends the cluster (and
 * cancels a resume), deletes it with confirmation; in a namespace without rights it reads a clear 403 message.
 *
 * KUBERAY_TS_SCREENSHOTS=1 writes the pages to docs/dashboard/*.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { chromiumPath } from '../support/browser.ts';
import { buildDashboard, startApiServer } from '../support/dashboard.ts';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { createNamespace } from '../support/local-cluster.ts';
import { serviceAccountToken } from '../support/service-account.ts';

const shotsDir = join(import.meta.dirname, '..', '..', 'docs', 'dashboard');
const screenshots = process.env.KUBERAY_TS_SCREENSHOTS === '1';
const skip = raySkip || (existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath}`);
const e2e = useOperatorCluster();

async function shot(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
}

/** What the dashboard user may do in `ns`: the pages' rights plus compute templates, job submission and logs. */
const RULES = [
  {
    apiGroups: ['ray.io'],
    resources: ['rayclusters', 'rayjobs', 'rayservices', 'raycronjobs'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
  },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create'] },
  { apiGroups: [''], resources: ['services'], verbs: ['get'] },
  { apiGroups: [''], resources: ['services/proxy'], verbs: ['get', 'create', 'delete'] },
  { apiGroups: [''], resources: ['events'], verbs: ['list'] },
];

test('dashboard with real Ray: cluster from the template form, ready live, job from the form to SUCCEEDED with logs, suspend, delete; 403 elsewhere', {
  skip,
  timeout: 900_000,
}, async (t) => {
  const started = Date.now();
  const lc = e2e.lc;
  const build = buildDashboard();
  t.after(build.remove);
  const ns = await createNamespace(lc.client, 'dash');
  const other = await createNamespace(lc.client, 'dash-other');
  const token = await serviceAccountToken(lc.client, ns, 'ml', { rules: RULES });
  const server = await startApiServer({
    kubeconfig: lc.kubeconfig,
    distDir: build.dir,
    onExit: (fn) => t.after(fn),
  });
  // The compute template the form offers (V1, as the user).
  const tpl = await fetch(`${server.base}/apis/v1/namespaces/${ns}/compute_templates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'small', namespace: ns, cpu: 1, memory: 1 }),
  });
  assert.equal(tpl.status, 200, await tpl.text());

  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  t.after(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The browser logs every non-2xx fetch as "Failed to load resource"; those are the refusals the page shows
    // (the 403 below, the "cluster is not ready" of the submissions list): any other error fails the test.
    if (
      m.type() === 'error' &&
      !/^Failed to load resource: the server responded with a status of/.test(m.text())
    )
      consoleErrors.push(m.text());
  });
  page.on('dialog', (d) => {
    // Confirmations: accepted, except "Resume" (the test cancels it: nothing must change).
    if (/^Resume/.test(d.message())) void d.dismiss();
    else void d.accept();
  });

  await page.goto(`${server.base}/`);
  await page.locator('textarea#token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: /Overview/ }).waitFor();

  // A user without rights in a namespace: the detail page says so (not a blank page).
  await page.goto(`${server.base}/#/rayclusters/${other}/anything`);
  const denied = page.getByRole('alert');
  await denied.waitFor();
  assert.match(
    (await denied.textContent()) ?? '',
    new RegExp(`You do not have access \\(403\\): .*system:serviceaccount:${ns}:ml.*namespace "${other}"`),
  );
  await shot(page, 'forbidden-detail');

  // The compute template form: a refused value first (checked before any call), then the cluster.
  await page.goto(`${server.base}/#/create/template`);
  await page.locator('input[name="cluster-namespace"]').fill(ns);
  await page
    .locator('select[name="cluster-headTemplate"] option', { hasText: 'small (1 CPU, 1Gi memory)' })
    .waitFor({ state: 'attached' });
  await page.locator('input[name="cluster-name"]').fill('demo');
  await page.locator('select[name="cluster-headTemplate"]').selectOption('small');
  await page.locator('textarea[name="cluster-headParams"]').fill('dashboard-host=0.0.0.0\nnum-cpus=1');
  await page.locator('select[name="cluster-workerTemplate"]').selectOption('small');
  await page.locator('input[name="cluster-replicas"]').fill('2');
  await page.locator('input[name="cluster-minReplicas"]').fill('0');
  await page.locator('input[name="cluster-maxReplicas"]').fill('1');
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await page.getByRole('alert').filter({ hasText: 'replicas: 2 is outside min..max (0..1)' }).waitFor();
  await shot(page, 'create-cluster');
  await page.locator('input[name="cluster-replicas"]').fill('0');
  await page.getByRole('button', { name: 'Create cluster' }).click();

  // The detail page: the state changes live up to ready.
  await page.getByRole('heading', { name: new RegExp(`RayCluster ${ns}/demo`) }).waitFor();
  await page.evaluate(`(() => {
    const seen = [];
    window.seenStates = seen;
    const look = () => {
      const text = document.querySelector('h1 .badge')?.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    };
    look();
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page
    .locator('h1 .badge', { hasText: 'ready' })
    .waitFor({ timeout: 300_000 })
    .catch((err) => e2e.onFailure(err));
  const seen = (await page.evaluate('window.seenStates')) as string[];
  assert.ok(
    seen.length >= 2 && seen[0] !== 'ready' && seen.at(-1) === 'ready',
    `states seen: ${seen.join(' -> ')}`,
  );
  const readyAt = Date.now();

  // The head pod's log, followed.
  await page.getByRole('button', { name: /^Logs of demo-head-/ }).click();
  const podLog = page.getByRole('log', { name: /Log of pod demo-head-/ });
  await podLog.filter({ hasText: /Ray runtime started/ }).waitFor({ timeout: 60_000 });
  await shot(page, 'pod-log');
  await page.getByRole('button', { name: /^Hide log of demo-head-/ }).click();

  // A job from the form: the Ray dashboard may answer a moment after the cluster is ready, so a refusal
  // ("Not submitted: ...", the API server's message) is retried.
  await page
    .locator('input[name="job-entrypoint"]')
    .fill(`python -c "import os; print('hello from the dashboard', os.environ['GREETING'])"`);
  await page.locator('textarea[name="job-runtimeEnv"]').fill('env_vars:\n  GREETING: hi');
  await page.locator('textarea[name="job-metadata"]').fill('owner=ml');
  await page.locator('input[name="job-numCpus"]').fill('lots');
  await page.getByRole('button', { name: 'Submit job' }).click();
  await page.getByRole('alert').filter({ hasText: 'entrypoint CPUs: "lots" is not a number' }).waitFor();
  await page.locator('input[name="job-numCpus"]').fill('');
  await eventually(
    async () => {
      // By keyboard: Enter in the entrypoint field submits the form.
      await page.locator('input[name="job-entrypoint"]').press('Enter');
      // The button reads "Submitting…" while the call runs.
      await page.getByRole('button', { name: 'Submit job' }).waitFor({ timeout: 60_000 });
      // A submitted job empties the form; a refused one keeps it and shows the API server's message.
      if ((await page.locator('input[name="job-entrypoint"]').inputValue()) !== '')
        throw new Error((await page.getByRole('alert').first().textContent()) ?? 'not submitted');
    },
    { timeoutMs: 120_000, intervalMs: 2000 },
  );
  const row = page.locator('tr[data-submission]').first();
  await row.locator('.badge', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 180_000 });
  const jobLog = page.getByRole('log', { name: /^Log of raysubmit_/ });
  await jobLog.filter({ hasText: 'hello from the dashboard hi' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('log-status').filter({ hasText: 'ended' }).waitFor();
  await shot(page, 'job-submissions');
  const submittedAt = Date.now();

  // A long job is stopped from its row, then deleted (after the confirmation).
  await page.locator('input[name="job-entrypoint"]').fill(`python -c "import time; time.sleep(600)"`);
  await page.getByRole('button', { name: 'Submit job' }).click();
  const long = page.locator('tr[data-submission]', { hasText: 'time.sleep(600)' });
  await long.locator('.badge', { hasText: 'RUNNING' }).waitFor({ timeout: 120_000 });
  await long.getByRole('button', { name: 'Stop' }).click();
  await long.locator('.badge', { hasText: 'STOPPED' }).waitFor({ timeout: 60_000 });
  await long.getByRole('button', { name: 'Delete' }).click();
  await long.waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await page.locator('tr[data-submission]').count(), 1, 'the SUCCEEDED job is still listed');

  // A RayJob on the same cluster (HTTP mode, cluster selector): its detail page shows its log.
  await lc.client.request('POST', `/apis/ray.io/v1/namespaces/${ns}/rayjobs`, {
    body: {
      apiVersion: 'ray.io/v1',
      kind: 'RayJob',
      metadata: { name: 'hello' },
      spec: {
        entrypoint: `python -c "print('hello from a RayJob')"`,
        submissionMode: 'HTTPMode',
        clusterSelector: { 'ray.io/cluster': 'demo' },
      },
    },
  });
  await page.goto(`${server.base}/#/rayjobs/${ns}/hello`);
  await page
    .getByRole('log', { name: /^Log of Ray job/ })
    .filter({ hasText: 'hello from a RayJob' })
    .waitFor({ timeout: 120_000 });
  await page.locator('h1 .badge', { hasText: 'Complete' }).waitFor({ timeout: 60_000 });
  // The log is read until the job has ended, then no more.
  await page.getByTestId('log-status').filter({ hasText: 'ended' }).waitFor({ timeout: 30_000 });
  await shot(page, 'rayjob-log');

  // Suspend (confirmed), then a resume that is cancelled; then delete with confirmation.
  await page.goto(`${server.base}/#/rayclusters/${ns}/demo`);
  await page.getByRole('button', { name: 'Suspend' }).click();
  await page.locator('h1 .badge', { hasText: 'suspended' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('submissions-waiting').filter({ hasText: 'it is suspended' }).waitFor();
  await page.getByRole('button', { name: 'Resume' }).click();
  const rc = await lc.client.request<any>('GET', `/apis/ray.io/v1/namespaces/${ns}/rayclusters/demo`);
  assert.equal(rc.spec.suspend, true, 'a cancelled resume changes nothing');
  await shot(page, 'raycluster-suspended');
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('gone').waitFor({ timeout: 60_000 });

  assert.deepEqual(consoleErrors, []);
  console.log(
    `dashboard-ray: ready after ${Math.round((readyAt - started) / 1000)} s, job SUCCEEDED after ${Math.round((submittedAt - readyAt) / 1000)} s more, whole test ${Math.round((Date.now() - started) / 1000)} s`,
  );
});
