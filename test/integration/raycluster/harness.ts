import type { TestContext } from 'node:test';
import type { Pod, RayCluster } from '../../../src/api/index.ts';
import { cacheTransformFor } from '../../../src/controllers/common/pod-cache.ts';
import { createRayClusterController } from '../../../src/controllers/raycluster/controller.ts';
import type { RayClusterControllerConfig } from '../../../src/controllers/raycluster/deps.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import type { Clock } from '../../../src/lib/clock.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { inProcessOperatorUserAgent } from '../../support/audit.ts';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

export interface Operator {
  readonly ns: string;
  /** The test's client (not the operator's: its requests are not counted by the RBAC audit). */
  readonly client: KubeClient;
  /** The controller's client (an operator user agent), for other controllers run beside it. */
  readonly operatorClient: KubeClient;
  readonly informers: InformerFactory;
  stop(): Promise<void>;
}

/**
 * Runs the RayCluster controller in-process against the test control plane, watching only a fresh namespace
 * (so test files running at once never reconcile each other's clusters). Stopped when the test ends.
 */
export async function startOperator(
  t: TestContext,
  config: Partial<RayClusterControllerConfig> = {},
  concurrency = 2,
  clock?: Clock,
  /** The client's rate limit; default none (qps 0), so tests are not slowed by it. */
  rate: { qps: number; burst: number } = { qps: 0, burst: 1 },
): Promise<Operator> {
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'rc');
  const access = loadKubeconfig(cluster.kubeconfig);
  // The controller's requests carry an operator user agent (the RBAC audit counts them); the test's own
  // requests (`client`, returned) do not.
  const opClient = KubeClient.fromAccess(access, { ...rate, userAgent: inProcessOperatorUserAgent() });
  const client = KubeClient.fromAccess(access, { ...rate, userAgent: 'kuberay-ts-test' });
  const informers = new InformerFactory({
    client: opClient,
    namespaces: [ns],
    transformFor: cacheTransformFor,
  });
  const { controller } = createRayClusterController({
    client: opClient,
    informers,
    concurrency,
    config: { requeueSeconds: 10, ...config },
    ...(clock ? { clock } : {}),
  });
  informers.start();
  controller.start();
  const stop = async () => {
    await controller.stop();
    await Promise.all(informers.informers().map((i) => i.stop()));
    opClient.rest.close();
    client.rest.close();
  };
  t.after(stop);
  return { ns, client, operatorClient: opClient, informers, stop };
}

/** A template container; `schedulerName: none` keeps pods unscheduled so the test writes their status. */
export function baseCluster(name: string, ns: string, opts: { kwok?: boolean } = {}): RayCluster {
  const podSpec = (containerName: string) => ({
    ...(opts.kwok ? { nodeSelector: { type: 'kwok' } } : { schedulerName: 'none' }),
    containers: [
      {
        name: containerName,
        image: 'rayproject/ray:2.46.0',
        resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } },
        volumeMounts: [{ name: 'shared-mem', mountPath: '/dev/shm' }],
      },
    ],
    volumes: [{ name: 'shared-mem', emptyDir: { medium: 'Memory' } }],
  });
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name, namespace: ns },
    spec: {
      rayVersion: '2.46.0',
      headGroupSpec: { rayStartParams: {}, template: { spec: podSpec('ray-head') } },
      workerGroupSpecs: [
        {
          groupName: 'small-group',
          replicas: 3,
          minReplicas: 0,
          maxReplicas: 4,
          numOfHosts: 1,
          rayStartParams: {},
          template: { spec: podSpec('ray-worker') },
        },
      ],
    },
  };
}

export async function createCluster(op: Operator, rc: RayCluster): Promise<RayCluster> {
  return (await op.client.create(
    Resources.rayClusters,
    rc as unknown as KubeObject,
  )) as unknown as RayCluster;
}

export async function getCluster(op: Operator, name: string): Promise<RayCluster> {
  return (await op.client.get(Resources.rayClusters, op.ns, name)) as unknown as RayCluster;
}

/** Merge-patches the cluster spec (or metadata) with a retry on conflict-free merge semantics. */
export async function patchCluster(
  op: Operator,
  name: string,
  patch: unknown,
  type: 'merge' | 'json' = 'merge',
): Promise<void> {
  await op.client.patch(Resources.rayClusters, op.ns, name, patch, { type });
}

export async function listPods(
  op: Operator,
  selector: Record<string, string>,
  includeTerminating = false,
): Promise<Pod[]> {
  const list = await op.client.list(Resources.pods, { namespace: op.ns, labelSelector: selector });
  const pods = list.items as unknown as Pod[];
  return includeTerminating ? pods : pods.filter((p) => !p.metadata.deletionTimestamp);
}

export const clusterPods = (op: Operator, name: string) => listPods(op, { 'ray.io/cluster': name });
export const workerPods = (op: Operator, name: string) =>
  listPods(op, { 'ray.io/cluster': name, 'ray.io/node-type': 'worker' });
export const headPods = (op: Operator, name: string) =>
  listPods(op, { 'ray.io/cluster': name, 'ray.io/node-type': 'head' });

let ipCounter = 10;
/** Writes a pod's status through the status subresource, as KubeRay's envtest does where no kubelet runs. */
export async function setPodStatus(op: Operator, pod: Pod, phase: string, ready: boolean): Promise<void> {
  const podIP = pod.status?.podIP || `10.1.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
  await op.client.patchStatus(Resources.pods, op.ns, pod.metadata.name ?? '', {
    status: {
      phase,
      podIP,
      podIPs: [{ ip: podIP }],
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      ],
    },
  });
}

export async function setAllRunning(op: Operator, name: string): Promise<void> {
  for (const p of await clusterPods(op, name)) await setPodStatus(op, p, 'Running', true);
}

export function condition(rc: RayCluster, type: string) {
  return rc.status?.conditions?.find((c) => c.type === type);
}

export async function listServices(op: Operator): Promise<string[]> {
  const list = await op.client.list(Resources.services, { namespace: op.ns });
  return list.items.map((s) => s.metadata.name ?? '').sort();
}
