/**
 * Dashboard load benchmark (not a test). Starts a private control plane, creates N ray.io objects of the four
 * kinds (no operator: RayClusters get a `ready` status written directly), builds the dashboard, starts our API
 * server serving it (a process, secure mode, a ServiceAccount token with cluster-wide rights) and opens pages in
 * headless Chromium (playwright-core, Debian's chromium), each load in a fresh browser context (no cache):
 *
 * - the overview across all namespaces, until every card shows its full count;
 * - the RayClusters list across all namespaces, until every row of the first page is rendered (the default page
 *   size, and `limit=500`).
 *
 * It reports, per page, the time from the navigation's start to the first frame with everything shown (median,
 * min, max of `--loads`), the JSON bytes the page read from the API server (as sent, and as JSON text), and the
 * load average before and after.
 * Usage: node_modules/.bin/node bench/dashboard-load.ts [--objects 500] [--loads 7]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { ControlPlane } from '../src/devcluster/controlplane.ts';
import { chromiumPath } from '../test/support/browser.ts';
import { installCrds } from '../test/support/crds.ts';
import {
  buildDashboard,
  dashboardToken,
  plainRayCluster,
  startApiServer,
} from '../test/support/dashboard.ts';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '500' },
    loads: { type: 'string', default: '7' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node_modules/.bin/node bench/dashboard-load.ts [options]

Creates N ray.io objects (half RayClusters, a quarter RayJobs, the rest RayServices and RayCronJobs) and prints
a JSON report of the dashboard's time to a full render of the overview and the RayClusters list.

  --objects N   objects to create (default 500)
  --loads L     loads per page, each in a fresh browser context (default 7)
  -h, --help    this help`);
  process.exit(0);
}
const N = Number(values.objects);
const L = Number(values.loads);
for (const [k, v] of Object.entries({ objects: N, loads: L }))
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const namespaces = ['bench-a', 'bench-b', 'bench-c', 'bench-d'];
const counts = {
  rayclusters: Math.ceil(N / 2),
  rayjobs: Math.floor(N / 4),
  rayservices: Math.floor((N - Math.ceil(N / 2) - Math.floor(N / 4)) / 2),
  raycronjobs: 0,
};
counts.raycronjobs = N - counts.rayclusters - counts.rayjobs - counts.rayservices;

function objectOf(plural: keyof typeof counts, i: number): { path: string; body: object; name: string } {
  const ns = namespaces[i % namespaces.length]!;
  const name = `${plural.slice(3, -1)}-${String(i).padStart(4, '0')}`;
  const cluster = plainRayCluster(name, ns, { team: i % 3 === 0 ? 'ml' : 'data' }) as {
    metadata: object;
    spec: object;
  };
  const path = `/apis/ray.io/v1/namespaces/${ns}/${plural}`;
  const meta = cluster.metadata;
  switch (plural) {
    case 'rayclusters':
      return { path, name, body: cluster };
    case 'rayjobs':
      return {
        path,
        name,
        body: {
          apiVersion: 'ray.io/v1',
          kind: 'RayJob',
          metadata: meta,
          spec: { entrypoint: 'python -c "print(1)"', rayClusterSpec: cluster.spec, suspend: true },
        },
      };
    case 'rayservices':
      return {
        path,
        name,
        body: {
          apiVersion: 'ray.io/v1',
          kind: 'RayService',
          metadata: meta,
          spec: { serveConfigV2: 'applications: []\n', rayClusterConfig: cluster.spec },
        },
      };
    case 'raycronjobs':
      return {
        path,
        name,
        body: {
          apiVersion: 'ray.io/v1',
          kind: 'RayCronJob',
          metadata: meta,
          spec: {
            schedule: '0 0 1 1 *',
            suspend: true,
            jobTemplate: { entrypoint: 'python -c "print(1)"', rayClusterSpec: cluster.spec },
          },
        },
      };
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number) => Math.round(x);

log('building the dashboard');
const build = buildDashboard();
log('starting the control plane');
const cp = await ControlPlane.start({});
const client = cp.client();
const report: Record<string, unknown> = { objects: N, ...counts, loads: L, loadAverageBefore: loadavg() };
try {
  await installCrds(client);
  for (const ns of namespaces)
    await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } });
  log(`creating ${N} objects ${JSON.stringify(counts)}`);
  const work: (() => Promise<unknown>)[] = [];
  for (const plural of Object.keys(counts) as (keyof typeof counts)[])
    for (let i = 0; i < counts[plural]; i++) {
      const o = objectOf(plural, i);
      work.push(async () => {
        await client.request('POST', o.path, { body: o.body });
        if (plural === 'rayclusters')
          await client.request('PATCH', `${o.path}/${o.name}/status`, {
            body: {
              status: {
                state: i % 5 === 0 ? 'suspended' : 'ready',
                desiredWorkerReplicas: 1,
                readyWorkerReplicas: 1,
                availableWorkerReplicas: 1,
                endpoints: { client: '10001', dashboard: '8265', 'gcs-server': '6379' },
                head: { podIP: '10.0.0.1', serviceIP: '10.0.0.2', podName: `${o.name}-head-abcde` },
                conditions: [
                  {
                    type: 'HeadPodReady',
                    status: 'True',
                    reason: 'HeadPodRunningAndReady',
                    message: '',
                    lastTransitionTime: '2026-01-01T00:00:00Z',
                  },
                  {
                    type: 'RayClusterProvisioned',
                    status: 'True',
                    reason: 'AllPodRunningAndReadyFirstTime',
                    message: '',
                    lastTransitionTime: '2026-01-01T00:00:00Z',
                  },
                ],
              },
            },
            contentType: 'application/merge-patch+json',
          });
      });
    }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < work.length) await work[next++]!();
    }),
  );
  const token = await dashboardToken(client, namespaces[0]!, 'viewer', 'cluster');
  const server = await startApiServer({ kubeconfig: cp.kubeconfig, distDir: build.dir });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const cases: { name: string; hash: string; done: string }[] = [
      {
        name: 'overview (all namespaces)',
        hash: '#/',
        done: `(() => { const want = ${JSON.stringify(counts)};
          return Object.entries(want).every(([k, n]) =>
            document.querySelector('[data-testid="card-' + k + '"] .count')?.textContent === String(n)); })()`,
      },
      {
        name: 'RayClusters list, first page of 100 (all namespaces)',
        hash: '#/rayclusters',
        done: `document.querySelectorAll('tbody tr[data-name]').length === ${Math.min(100, counts.rayclusters)}`,
      },
      {
        name: `RayClusters list, limit=500 (${Math.min(500, counts.rayclusters)} rows)`,
        hash: '#/rayclusters?limit=500',
        done: `document.querySelectorAll('tbody tr[data-name]').length === ${Math.min(500, counts.rayclusters)}`,
      },
    ];
    for (const c of cases) {
      const times: number[] = [];
      const breakdown: Record<string, number[]> = {};
      let bytes = { sent: 0, json: 0, calls: 0 };
      for (let i = 0; i < L; i++) {
        // bypassCSP: the probes below are strings evaluated in the page, which the dashboard's CSP forbids.
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
        await context.addInitScript(
          `sessionStorage.setItem('kuberay-ts.token', ${JSON.stringify(token)}); sessionStorage.setItem('kuberay-ts.namespace', '');`,
        );
        const page: Page = await context.newPage();
        const sizes: Promise<{ sent: number; json: number }>[] = [];
        page.on('response', (res) => {
          const url = new URL(res.url());
          if (!url.pathname.startsWith('/apis/') || url.searchParams.get('watch') === 'true') return;
          sizes.push(
            (async () => {
              const body = await res.body().catch(() => Buffer.alloc(0));
              const s = await res
                .request()
                .sizes()
                .catch(() => ({ responseBodySize: 0 }));
              return { sent: s.responseBodySize, json: body.length };
            })(),
          );
        });
        await page.goto(`${server.base}/${c.hash}`);
        const ms = (await (
          await page.waitForFunction(`(${c.done}) ? performance.now() : false`, undefined, {
            polling: 'raf',
            timeout: 60_000,
          })
        ).jsonValue()) as number;
        times.push(ms);
        // Where the time went: the page's script arrived, the first API call started, the last list answered.
        const phases = (await page.evaluate(`(() => {
          const r = performance.getEntriesByType('resource');
          const js = r.filter((e) => e.name.endsWith('.js')).map((e) => e.responseEnd);
          const lists = r.filter((e) => e.name.includes('/apis/') && !e.name.includes('watch=true'));
          return {
            scriptLoaded: Math.max(0, ...js),
            firstCall: Math.min(...lists.map((e) => e.startTime)),
            listsDone: Math.max(0, ...lists.map((e) => e.responseEnd)),
          };
        })()`)) as Record<string, number>;
        for (const [k, v] of Object.entries(phases)) breakdown[k] = [...(breakdown[k] ?? []), v];
        const all = await Promise.all(sizes);
        bytes = {
          sent: all.reduce((a, s) => a + s.sent, 0),
          json: all.reduce((a, s) => a + s.json, 0),
          calls: all.length,
        };
        await context.close();
      }
      report[c.name] = {
        medianMs: round(median(times)),
        medianPhasesMs: Object.fromEntries(Object.entries(breakdown).map(([k, v]) => [k, round(median(v))])),
        minMs: round(Math.min(...times)),
        maxMs: round(Math.max(...times)),
        apiCalls: bytes.calls,
        apiBytesSent: bytes.sent,
        apiJsonBytes: bytes.json,
      };
      log(`${c.name}: ${JSON.stringify(report[c.name])}`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  report.loadAverageAfter = loadavg();
  console.log(JSON.stringify(report, null, 2));
} finally {
  client.close();
  await cp.stop();
  build.remove();
}
