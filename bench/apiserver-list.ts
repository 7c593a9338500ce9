/**
 * API server list benchmark (not a test). Starts a private control plane, creates N RayClusters managed by the
 * API server, and measures `GET /apis/v1/namespaces/{ns}/clusters` and `GET /apis/v1/clusters` latency and
 * throughput with the informer cache (--cache-lists, the default) and without it (a LIST per request), in the
 * secure mode (one TokenReview and SubjectAccessReview per token and permission, cached) with a ServiceAccount token.
 * Usage: node_modules/.bin/node bench/apiserver-list.ts [--clusters 1000] [--requests 200] [--concurrency 8]
 */
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { createApiServer } from '../src/apiserver/app.ts';
import { buildRayCluster } from '../src/apiserver/v1/cluster-build.ts';
import { computeTemplateToConfigMap } from '../src/apiserver/v1/compute-template.ts';
import { ListCache } from '../src/apiserver/v1/list-cache.ts';
import { ControlPlane } from '../src/devcluster/controlplane.ts';
import { KubeClient } from '../src/k8s/client.ts';
import { loadKubeconfig } from '../src/k8s/kubeconfig.ts';
import { Resources } from '../src/k8s/resources.ts';
import { nullLogger } from '../src/lib/logger.ts';
import { installCrds } from '../test/support/crds.ts';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node_modules/.bin/node bench/apiserver-list.ts [options]

Starts a private control plane, creates N API-server-managed RayClusters, and prints a JSON report of V1 list
latency (p50/p95/p99) and throughput, from the informer cache and with a LIST per request.

  --clusters N      RayClusters to create (default 1000)
  --requests R      list requests per case (default 200)
  --concurrency C   requests in flight (default 8)
  -h, --help        this help`);
  process.exit(0);
}
const N = Number(values.clusters);
const R = Number(values.requests);
const C = Number(values.concurrency);
for (const [k, v] of Object.entries({ clusters: N, requests: R, concurrency: C }))
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);

const ns = 'bench';
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

log('starting the control plane');
const cp = await ControlPlane.start({ controllerManager: false, scheduler: false });
const admin = KubeClient.fromAccess(loadKubeconfig(cp.kubeconfig), {
  qps: 0,
  fieldManager: 'kuberay-apiserver',
});
try {
  await installCrds(admin.rest);
  await admin.rest.request('POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } });
  const template = { name: 't', namespace: ns, cpu: 1, memory: 1 };
  await admin.create(Resources.configMaps, computeTemplateToConfigMap(template) as never);
  log(`creating ${N} RayClusters`);
  const templates = new Map([['t', template]]);
  const spec = {
    headGroupSpec: { computeTemplate: 't', rayStartParams: { 'dashboard-host': '0.0.0.0' } },
    workerGroupSpec: [{ groupName: 'w', computeTemplate: 't', replicas: 1, maxReplicas: 1 }],
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) {
        const i = next++;
        const rc = buildRayCluster(
          { name: `c${i}`, namespace: ns, user: 'bench', version: '2.52.0', clusterSpec: spec },
          templates,
          'bench',
        );
        await admin.create(Resources.rayClusters, rc as never);
        if ((i + 1) % 200 === 0) log(`  ${i + 1}/${N}`);
      }
    }),
  );
  await admin.rest.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    body: { metadata: { name: 'reader' } },
  });
  await admin.rest.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    body: {
      metadata: { name: 'bench-reader' },
      rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['list'] }],
    },
  });
  await admin.rest.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    body: {
      metadata: { name: 'bench-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'bench-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }],
    },
  });
  const token = (
    await admin.rest.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/reader/token`,
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
      },
    )
  ).status.token;

  const report: Record<string, unknown> = { clusters: N, requests: R, concurrency: C };
  for (const cached of [true, false]) {
    const listCache = cached ? new ListCache(admin, nullLogger) : undefined;
    listCache?.start();
    const server = createApiServer({
      kube: admin,
      logger: nullLogger,
      registry: new Registry(),
      auth: 'kubernetes',
      ...(listCache ? { listCache } : {}),
    });
    const port = await server.listen(0, '127.0.0.1');
    for (const path of [`/apis/v1/namespaces/${ns}/clusters`, '/apis/v1/clusters']) {
      const url = `http://127.0.0.1:${port}${path}`;
      const get = async () => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { clusters?: unknown[] };
        if (res.status !== 200 || body.clusters?.length !== N)
          throw new Error(`HTTP ${res.status}: ${body.clusters?.length} clusters`);
      };
      // Warm up until the cache holds every cluster (and the reviews are cached).
      for (let ok = false; !ok; )
        ok = await get().then(
          () => true,
          () => false,
        );
      const latencies: number[] = [];
      let done = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: C }, async () => {
          while (done < R) {
            done++;
            const t0 = performance.now();
            await get();
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const q = (p: number) =>
        Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
      const key = `${cached ? 'cache' : 'list'} ${path.includes('namespaces') ? 'namespace' : 'all-namespaces'}`;
      report[key] = {
        p50Ms: q(0.5),
        p95Ms: q(0.95),
        p99Ms: q(0.99),
        requestsPerSecond: Math.round(latencies.length / seconds),
      };
      log(`${key}: ${JSON.stringify(report[key])}`);
    }
    await server.shutdown(1000);
    await listCache?.stop();
  }
  console.log(JSON.stringify(report, null, 2));
} finally {
  admin.rest.close();
  await cp.stop();
}
