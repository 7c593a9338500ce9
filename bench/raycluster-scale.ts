/**
 * RayCluster scale benchmark (not a test). Starts a private control plane (etcd, kube-apiserver, scheduler,
 * KWOK nodes; no controller-manager), runs the RayCluster controller in this process, and reports:
 *   - time until every pod exists and until every cluster is ready (N clusters × M workers),
 *   - operator peak RSS (this process: controller, informers and the bench's small polling client),
 *   - API requests made by the operator, per cluster,
 *   - fairness: one cluster scaling 0 → F workers while a new 1-worker cluster is created: the time until the
 *     small cluster's worker pod exists.
 * Usage: node_modules/.bin/node bench/raycluster-scale.ts [--clusters 100] [--workers 100] [--fairness 1000]
 *        [--concurrency 10] [--qps 100] [--burst 200]
 */
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import {
  createRayClusterController,
  rayClusterControllerName,
} from '../src/controllers/raycluster/controller.ts';
import { ControlPlane } from '../src/devcluster/controlplane.ts';
import { KubeClient } from '../src/k8s/client.ts';
import { loadKubeconfig } from '../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../src/k8s/objects.ts';
import { Resources } from '../src/k8s/resources.ts';
import { KubeEventRecorder } from '../src/runtime/events.ts';
import { InformerFactory } from '../src/runtime/informer-factory.ts';
import { installCrds } from '../test/support/crds.ts';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '100' },
    workers: { type: 'string', default: '100' },
    fairness: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '10' },
    qps: { type: 'string', default: '100' },
    burst: { type: 'string', default: '200' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node_modules/.bin/node bench/raycluster-scale.ts [options]

Starts a private control plane (etcd, kube-apiserver, kube-scheduler, KWOK nodes), runs the RayCluster controller
in this process and prints a JSON report: time until every pod exists, time until every cluster is ready, peak
RSS, API requests per cluster, and the fairness case. Takes 10-20 minutes at the defaults on 2 cores.

  --clusters N      RayClusters to create (default 100)
  --workers M       workers per cluster (default 100)
  --fairness F      fairness case: one cluster scales 0 -> F workers while a 1-worker cluster is created
                    (default 1000; 0 skips it)
  --concurrency C   reconcile concurrency (default 10)
  --qps Q --burst B the operator client's rate limit (default 100 / 200, as KubeRay)
  -h, --help        this help`);
  process.exit(0);
}
const N = Number(values.clusters);
const M = Number(values.workers);
const F = Number(values.fairness);
for (const [k, v] of Object.entries({ clusters: N, workers: M, fairness: F }))
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${k} must be a non-negative integer, got ${v}`);

const ns = 'bench';
// A KWOK node offers 1000 pods and 64 CPUs (src/devcluster/kwok-nodes.ts). A worker's effective CPU request is
// 200m: its `wait-gcs-ready` init container requests 200m, more than the 10m of its Ray container.
const podsPerNode = 1000;
const cpuPerNode = 64;
const cpuPerPod = 0.2;
const totalPods = N * (M + 1) + F + 2;
const nodes = Math.max(
  2,
  Math.ceil(totalPods / (podsPerNode * 0.9)),
  Math.ceil((totalPods * cpuPerPod) / (cpuPerNode * 0.9)),
);

function cluster(name: string, workers: number) {
  const template = (c: string) => ({
    spec: {
      nodeSelector: { type: 'kwok' },
      // Without kube-controller-manager nothing removes the new nodes' not-ready taint.
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        { name: c, image: 'rayproject/ray:2.46.0', resources: { requests: { cpu: '10m', memory: '16Mi' } } },
      ],
    },
  });
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name, namespace: ns },
    spec: {
      rayVersion: '2.46.0',
      headGroupSpec: { rayStartParams: {}, template: template('ray-head') },
      workerGroupSpecs: [
        {
          groupName: 'g',
          replicas: workers,
          minReplicas: 0,
          maxReplicas: 100000,
          rayStartParams: {},
          template: template('ray-worker'),
        },
      ],
    },
  } as unknown as KubeObject;
}

/** Pod count: cheap (limit=1 plus remainingItemCount) without a selector; a full list with one. */
async function podCount(client: KubeClient, selector?: Record<string, string>): Promise<number> {
  if (selector)
    return (await client.list(Resources.pods, { namespace: ns, labelSelector: selector })).items.length;
  const page = await client.listPage(Resources.pods, { namespace: ns, limit: 1 });
  return page.items.length + (page.metadata.remainingItemCount ?? 0);
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 30 * 60_000): Promise<number> {
  const start = performance.now();
  console.log(`waiting for ${what}...`);
  for (;;) {
    try {
      if (await fn()) return performance.now() - start;
    } catch (e) {
      // A loaded API server drops a connection now and then; the bench's own polling must not end the run.
      console.log(`  (poll failed: ${(e as Error).message}; retrying)`);
    }
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  console.log(`starting control plane with ${nodes} KWOK nodes...`);
  const cp = await ControlPlane.start({
    // No kube-controller-manager: its node lifecycle controller marks every pod NotReady when KWOK's node
    // heartbeats fall behind on a loaded machine, which would measure KWOK instead of the operator.
    controllerManager: false,
    scheduler: true,
    kwokNodes: nodes,
  });
  const access = loadKubeconfig(cp.kubeconfig);
  const admin = KubeClient.fromAccess(access, { qps: 0, userAgent: 'bench' });
  for (let attempt = 1; ; attempt++) {
    try {
      await installCrds(admin.rest, { timeoutMs: 120_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      console.log(`CRD install failed (${(e as Error).message}), retrying...`);
    }
  }
  await admin.create(Resources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

  const registry = new Registry();
  const opClient = KubeClient.fromAccess(access, {
    qps: Number(values.qps),
    burst: Number(values.burst),
    metrics: registry,
  });
  // As in the operator (src/main/operator.ts): events through a client of their own; both are counted.
  const eventsClient = KubeClient.fromAccess(access, {
    qps: Number(values.qps),
    burst: Number(values.burst),
    metrics: registry,
  });
  const informers = new InformerFactory({ client: opClient });
  const { controller } = createRayClusterController({
    client: opClient,
    informers,
    concurrency: Number(values.concurrency),
    events: new KubeEventRecorder({ client: eventsClient }).recorderFor(rayClusterControllerName),
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  informers.start();
  controller.start();
  const requests = async () => {
    const m = await registry.getSingleMetric('rest_client_requests_total')?.get();
    return (m?.values ?? []).reduce((s, v) => s + v.value, 0);
  };

  const start = performance.now();
  const createRequests0 = await requests();
  await Promise.all(
    Array.from({ length: N }, (_, i) => admin.create(Resources.rayClusters, cluster(`c${i}`, M))),
  );
  const allPods = await until('all pods', async () => (await podCount(admin)) >= N * (M + 1));
  const allReady = await until('all ready', async () => {
    const list = await admin.list(Resources.rayClusters, { namespace: ns });
    return (
      list.items.filter((c) => (c as { status?: { state?: string } }).status?.state === 'ready').length === N
    );
  });
  const scaleRequests = (await requests()) - createRequests0;
  const peakRssScale = peakRss;
  const readyAt = performance.now() - start;

  // Steady state: a quiet minute should cost (almost) no requests beyond watches.
  const before = await requests();
  await new Promise((r) => setTimeout(r, 15_000));
  const steadyRequests = (await requests()) - before;

  // Fairness: a big scale-up must not delay a new small cluster.
  let fairness = Number.NaN;
  if (F > 0) {
    await admin.create(Resources.rayClusters, cluster('big', 0));
    await until('big head', async () => (await podCount(admin, { 'ray.io/cluster': 'big' })) >= 1);
    await admin.patch(
      Resources.rayClusters,
      ns,
      'big',
      [{ op: 'replace', path: '/spec/workerGroupSpecs/0/replicas', value: F }],
      { type: 'json' },
    );
    await admin.create(Resources.rayClusters, cluster('small', 1));
    fairness = await until(
      'small worker',
      async () => (await podCount(admin, { 'ray.io/cluster': 'small', 'ray.io/node-type': 'worker' })) >= 1,
    );
    await until('big workers', async () => (await podCount(admin)) >= N * (M + 1) + F + 1 + 2);
  }

  clearInterval(sampler);
  const report = {
    clusters: N,
    workersPerCluster: M,
    pods: N * (M + 1),
    kwokNodes: nodes,
    reconcileConcurrency: Number(values.concurrency),
    qps: Number(values.qps),
    burst: Number(values.burst),
    secondsUntilAllPodsExist: +(allPods / 1000).toFixed(1),
    secondsUntilAllClustersReady: +((allPods + allReady) / 1000).toFixed(1),
    secondsTotalFromFirstCreate: +(readyAt / 1000).toFixed(1),
    processPeakRssMiBUntilReady: +(peakRssScale / 2 ** 20).toFixed(0),
    processPeakRssMiBIncludingFairness: +(peakRss / 2 ** 20).toFixed(0),
    heapUsedMiBAtEnd: +(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0),
    apiRequestsPerClusterUntilReady: +(scaleRequests / Math.max(1, N)).toFixed(1),
    apiRequestsIn15sSteadyState: steadyRequests,
    fairnessWorkers: F,
    fairnessSecondsUntilSmallClusterWorkerExists: +(fairness / 1000).toFixed(2),
  };
  console.log(JSON.stringify(report, null, 2));
  await controller.stop();
  await Promise.all(informers.informers().map((i) => i.stop()));
  opClient.rest.close();
  eventsClient.rest.close();
  admin.rest.close();
  await cp.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
