import type { TestContext } from 'node:test';
import type { RayCluster, RayJob, RayJobSpec } from '../../../src/api/index.ts';
import { cacheTransformFor } from '../../../src/controllers/common/pod-cache.ts';
import { sampleRayClusterSpec } from '../../../src/controllers/rayjob/fixtures.test-support.ts';
import { createRayJobController, type RayJobConfig } from '../../../src/controllers/rayjob/index.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { FakeDashboard } from '../../../src/ray/fake-dashboard.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { inProcessOperatorUserAgent } from '../../support/audit.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

/** A RayJob controller running in-process against the real API server, with a fake Ray dashboard. */
export interface Harness {
  readonly ns: string;
  readonly kube: KubeClient;
  readonly dashboard: FakeDashboard;
  getRayJob(name: string): Promise<RayJob>;
  getCluster(name: string): Promise<RayCluster | undefined>;
  /** Stands in for the RayCluster controller: head Service plus status.state=ready. */
  makeClusterReady(name: string): Promise<void>;
  /** Stands in for the Job controller: marks the submitter Job Complete or Failed. */
  finishSubmitter(name: string, outcome: 'Complete' | 'Failed'): Promise<void>;
  /** Waits until the RayJob's status satisfies `check` (which throws until it does). */
  waitFor(name: string, check: (rj: RayJob) => void, timeoutMs?: number): Promise<RayJob>;
  events(): Promise<{ reason: string; message: string; type: string }[]>;
}

let kubePromise: Promise<KubeClient> | undefined;
async function kubeClient(): Promise<KubeClient> {
  kubePromise ??= (async () => {
    const { kubeconfig, client } = await testCluster();
    // On a loaded machine the first install can time out (the RayCluster CRD is large): try a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await installCrds(client, { timeoutMs: 120_000 });
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
      }
    }
    const c = KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 0, userAgent: 'kuberay-ts-test' });
    process.once('exit', () => c.rest.close());
    return c;
  })();
  return kubePromise;
}

export async function startHarness(t: TestContext, config: Partial<RayJobConfig> = {}): Promise<Harness> {
  const kube = await kubeClient();
  const ns = await testNamespace(t, 'rayjob');
  const dashboard = new FakeDashboard();
  // The controller has a client of its own with an operator user agent (the RBAC audit counts its requests,
  // not the harness's stand-ins for other controllers).
  const opKube = KubeClient.fromAccess(loadKubeconfig((await testCluster()).kubeconfig), {
    qps: 0,
    userAgent: inProcessOperatorUserAgent(),
  });
  const informers = new InformerFactory({
    client: opKube,
    namespaces: [ns],
    transformFor: cacheTransformFor,
  });
  const controller = createRayJobController({
    informers,
    client: opKube,
    dashboards: dashboard.factory(),
    config: { defaultRequeueMs: 300, ...config },
  });
  informers.start();
  controller.start();
  t.after(async () => {
    await controller.stop();
    await informers.stop();
    opKube.rest.close();
  });
  const h: Harness = {
    ns,
    kube,
    dashboard,
    getRayJob: (name) => kube.get(Resources.rayJobs, ns, name) as unknown as Promise<RayJob>,
    getCluster: (name) =>
      kube.getOrUndefined(Resources.rayClusters, ns, name) as unknown as Promise<RayCluster | undefined>,
    async makeClusterReady(name) {
      await kube
        .create(Resources.services, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name: `${name}-head-svc`,
            namespace: ns,
            labels: { 'ray.io/node-type': 'head', 'ray.io/cluster': name },
          },
          spec: {
            clusterIP: 'None',
            selector: { 'ray.io/cluster': name },
            ports: [{ name: 'dashboard', port: 8265 }],
          },
        })
        .catch(() => {});
      await kube.patchStatus(Resources.rayClusters, ns, name, { status: { state: 'ready' } });
    },
    async finishSubmitter(name, outcome) {
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const failed = outcome === 'Failed';
      const cond = (type: string) => ({
        type,
        status: 'True',
        lastTransitionTime: now,
        lastProbeTime: now,
        reason: failed ? 'BackoffLimitExceeded' : 'CompletionsReached',
        message: failed
          ? 'Job has reached the specified backoff limit'
          : 'Reached expected number of succeeded pods',
      });
      await eventually(async () => {
        const job = (await kube.get(Resources.jobs, ns, name)) as KubeObject & {
          status?: Record<string, unknown>;
        };
        const startTime = (job.status?.startTime as string | undefined) ?? now;
        const status = failed
          ? {
              ...job.status,
              conditions: [cond('FailureTarget'), cond('Failed')],
              startTime,
              failed: 1,
              active: 0,
              ready: 0,
              terminating: 0,
            }
          : {
              ...job.status,
              conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
              startTime,
              completionTime: now,
              succeeded: 1,
              active: 0,
              ready: 0,
              terminating: 0,
            };
        await kube.updateStatus(Resources.jobs, { ...job, status });
      });
    },
    async waitFor(name, check, timeoutMs = 15_000) {
      return eventually(
        async () => {
          const rj = await h.getRayJob(name);
          check(rj);
          return rj;
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    async events() {
      const list = await kube.list(Resources.events, { namespace: ns });
      return list.items as unknown as { reason: string; message: string; type: string }[];
    },
  };
  return h;
}

/**
 * A submitter pod template that no node accepts: KWOK would otherwise run the submitter pod to completion at once,
 * and the tests need to decide when the submitter finishes (`finishSubmitter`).
 */
export const pendingSubmitterTemplate = {
  spec: {
    restartPolicy: 'Never',
    nodeSelector: { 'kuberay-ts.test/no-such-node': 'true' },
    containers: [{ name: 'ray-job-submitter', image: 'rayproject/ray:2.46.0' }],
  },
};

/** A small RayJob (K8sJobMode by default) with one worker group of 3. */
export function rayJobManifest(
  ns: string,
  name: string,
  spec: Partial<RayJobSpec> = {},
  extra: Partial<RayJob['metadata']> = {},
): KubeObject {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: {
      name,
      namespace: ns,
      labels: { team: 'ml' },
      annotations: { 'example.com/note': 'hello' },
      ...extra,
    },
    spec: {
      entrypoint: 'python /home/ray/samples/sample_code.py',
      rayClusterSpec: sampleRayClusterSpec(),
      ...spec,
    },
  };
}

/** Checks `fn` repeatedly for `forMs` and fails at the first failure (Gomega's Consistently). */
export async function consistently(fn: () => unknown, forMs: number, intervalMs = 100): Promise<void> {
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    await fn();
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
