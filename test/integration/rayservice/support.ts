import type { TestContext } from 'node:test';
import { parse } from 'yaml';
import type { RayCluster, RayService } from '../../../src/api/index.ts';
import { sampleRayService } from '../../../src/builders/rayservice/testing.ts';
import type { RayServiceOptions } from '../../../src/controllers/rayservice/options.ts';
import { RayServiceReconciler } from '../../../src/controllers/rayservice/reconciler.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import type { DashboardTarget } from '../../../src/ray/factory.ts';
import { FakeDashboard } from '../../../src/ray/fake-dashboard.ts';
import type { ServeApplicationDetails } from '../../../src/ray/types.ts';
import { inProcessOperatorUserAgent } from '../../support/audit.ts';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

/** A fake Ray dashboard per cluster whose Serve apps become `appStatus` once a config is PUT. */
export class ServeFake extends FakeDashboard {
  appStatus = 'RUNNING';
  override async updateDeployments(serveConfig: unknown): Promise<void> {
    await super.updateDeployments(serveConfig);
    this.refresh();
  }
  /** Rebuilds the reported apps from the last PUT config with `appStatus`. */
  refresh(): void {
    const last = this.serveConfigs.at(-1) as { applications?: { name?: string }[] } | undefined;
    const applications: Record<string, ServeApplicationDetails> = {};
    for (const a of last?.applications ?? []) {
      const name = a.name ?? '';
      applications[name] = {
        name,
        status: this.appStatus,
        message: '',
        deployments: {
          [`${name}-deployment`]: { name: `${name}-deployment`, status: 'HEALTHY', message: '' },
        },
      };
    }
    this.serveDetails = { applications };
  }
}

export interface Harness {
  readonly kube: KubeClient;
  readonly ns: string;
  readonly reconciler: RayServiceReconciler;
  readonly fakes: Map<string, ServeFake>;
  /** Errors the reconcile loop saw (retried, as the controller would). */
  readonly errors: unknown[];
  fake(cluster: string): ServeFake;
  getRs(name: string): Promise<RayService>;
  getCluster(name: string): Promise<RayCluster | undefined>;
  /** Plays the kubelet and the RayCluster controller: a KWOK head pod plus HeadPodReady=True. */
  makeClusterReady(cluster: string): Promise<void>;
  /** One reconcile pass (errors propagate). */
  rec(name: string): Promise<void>;
  /** `n` passes in a row: what a steady state must survive unchanged. */
  settle(name: string, n?: number): Promise<void>;
  /** Reasons of the Events recorded for the RayService, once per occurrence (a repeat bumps an Event's count). */
  eventReasons(name: string): Promise<string[]>;
  patch(resource: 'rayServices' | 'rayClusters', name: string, patch: unknown): Promise<void>;
  /** Runs the reconciler for `name` in a loop (as requeues would) until the test ends. */
  run(name: string): void;
}

export async function harness(t: TestContext, options: Partial<RayServiceOptions> = {}): Promise<Harness> {
  const { client, kubeconfig } = await testCluster();
  await installCrds(client);
  const kube = new KubeClient(client);
  // The reconciler's own client, with an operator user agent (the RBAC audit counts its requests only).
  const opKube = KubeClient.fromAccess(loadKubeconfig(kubeconfig), {
    qps: 0,
    userAgent: inProcessOperatorUserAgent(),
  });
  t.after(() => opKube.rest.close());
  const ns = await testNamespace(t, 'rs');
  const fakes = new Map<string, ServeFake>();
  const fake = (cluster: string) => {
    let f = fakes.get(cluster);
    if (!f) {
      f = new ServeFake();
      fakes.set(cluster, f);
    }
    return f;
  };
  const reconciler = new RayServiceReconciler({
    kube: opKube,
    dashboards: async (target: DashboardTarget) => fake(target.clusterName),
    proxies: () => ({ checkProxyActorHealth: async () => {} }),
    options: { requeueMs: 100, ...options },
  });
  const loops: { stop: boolean }[] = [];
  t.after(() => {
    for (const l of loops) l.stop = true;
  });
  const h: Harness = {
    kube,
    ns,
    reconciler,
    fakes,
    errors: [],
    fake,
    getRs: (name) => kube.get(Resources.rayServices, ns, name) as unknown as Promise<RayService>,
    getCluster: (name) =>
      kube.getOrUndefined(Resources.rayClusters, ns, name) as Promise<RayCluster | undefined>,
    async makeClusterReady(cluster) {
      await kube.create(Resources.pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${cluster}-head`,
          namespace: ns,
          labels: { 'ray.io/cluster': cluster, 'ray.io/node-type': 'head', 'ray.io/serve': 'false' },
        },
        spec: {
          nodeSelector: { type: 'kwok' },
          containers: [
            {
              name: 'ray-head',
              image: 'rayproject/ray:2.46.0',
              ports: [{ name: 'serve', containerPort: 8000 }],
            },
          ],
        },
      });
      await reportHeadPodReady(kube, ns, cluster);
    },
    async rec(name) {
      await reconciler.reconcile(ns, name);
    },
    async settle(name, n = 5) {
      for (let i = 0; i < n; i++) await reconciler.reconcile(ns, name);
    },
    async eventReasons(name) {
      const list = await kube.list(Resources.events, { namespace: ns });
      return list.items
        .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name)
        .flatMap((e) => Array<string>(Number(e.count ?? 1)).fill(String(e.reason)));
    },
    async patch(resource, name, patch) {
      await kube.patch(Resources[resource], ns, name, patch);
    },
    run(name) {
      const loop = { stop: false };
      loops.push(loop);
      void (async () => {
        while (!loop.stop) {
          let wait = 100;
          try {
            const r = await reconciler.reconcile(ns, name);
            wait = Math.min(r.requeueAfterMs ?? 100, 100);
          } catch (err) {
            h.errors.push(err);
            if (process.env.RS_DEBUG) console.error('reconcile failed', err);
            wait = 100;
          }
          await new Promise((r) => setTimeout(r, wait));
        }
      })();
    },
  };
  return h;
}

/** A sample RayService to create in `ns`. */
export function newRayService(name: string, ns: string): RayService {
  const rs = sampleRayService(name, ns);
  delete rs.metadata.uid;
  delete rs.metadata.generation;
  return rs;
}

export function appNames(serveConfigV2: string): string[] {
  return ((parse(serveConfigV2) as { applications: { name: string }[] }).applications ?? []).map(
    (a) => a.name,
  );
}

/**
 * Writes what the RayCluster controller reports for a Running and Ready head: condition HeadPodReady=True (with
 * `ready` false, the head that stopped being ready: HeadPodReady=False).
 */
export async function reportHeadPodReady(
  kube: KubeClient,
  ns: string,
  cluster: string,
  ready = true,
): Promise<void> {
  const rc = (await kube.get(Resources.rayClusters, ns, cluster)) as unknown as RayCluster;
  await kube.updateStatus(Resources.rayClusters, {
    ...rc,
    status: {
      ...rc.status,
      conditions: [
        {
          type: 'HeadPodReady',
          status: ready ? 'True' : 'False',
          reason: ready ? 'HeadPodRunningAndReady' : 'ContainersNotReady',
          message: '',
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    },
  } as never);
}
