/** The chaos suites' RayClusters on KWOK nodes, and the check that a namespace has converged to them. */
import type { KubeClient } from '../../src/k8s/client.ts';
import type { KubeObject } from '../../src/k8s/objects.ts';
import { Resources } from '../../src/k8s/resources.ts';

export interface Spec {
  workers: number;
  suspend: boolean;
  rev: number;
}

export function rayCluster(name: string, ns: string, s: Spec): KubeObject {
  const template = (c: string) => ({
    metadata: { labels: { rev: String(s.rev) } },
    spec: {
      nodeSelector: { type: 'kwok' },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [{ name: c, image: 'rayproject/ray:2.46.0', resources: { requests: { cpu: '10m' } } }],
    },
  });
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name, namespace: ns },
    spec: {
      rayVersion: '2.46.0',
      suspend: s.suspend,
      headGroupSpec: { rayStartParams: {}, template: template('ray-head') },
      workerGroupSpecs: [
        {
          groupName: 'g',
          replicas: s.workers,
          minReplicas: 0,
          maxReplicas: 10,
          rayStartParams: {},
          template: template('ray-worker'),
        },
      ],
    },
  } as unknown as KubeObject;
}

type Pod = KubeObject & { metadata: { deletionTimestamp?: string } };

/** What is wrong with the namespace now, in words; empty when it has converged to `want`. */
export async function divergence(client: KubeClient, ns: string, want: Map<string, Spec>): Promise<string[]> {
  const rcs = (await client.list(Resources.rayClusters, { namespace: ns })).items;
  const pods = (await client.list(Resources.pods, { namespace: ns })).items;
  return clusterProblems(rcs, pods, want);
}

/** What is wrong with these RayClusters and pods (one namespace's, as listed) given `want`; empty when none. */
export function clusterProblems(rcs: KubeObject[], allPods: KubeObject[], want: Map<string, Spec>): string[] {
  const problems: string[] = [];
  const pods = (allPods as Pod[]).filter((p) => !p.metadata.deletionTimestamp);
  const names = new Set(rcs.map((r) => r.metadata.name));
  // Clusters a RayJob or RayService owns are checked with their owner (workloads.ts).
  for (const r of rcs)
    if (!want.has(r.metadata.name ?? '') && (r.metadata.ownerReferences ?? []).length === 0)
      problems.push(`${r.metadata.name} was deleted but still exists (finalizers ${r.metadata.finalizers})`);
  for (const [name, s] of want) {
    if (!names.has(name)) {
      problems.push(`${name} is missing`);
      continue;
    }
    const mine = pods.filter((p) => p.metadata.labels?.['ray.io/cluster'] === name);
    const heads = mine.filter((p) => p.metadata.labels?.['ray.io/node-type'] === 'head');
    const workers = mine.filter((p) => p.metadata.labels?.['ray.io/node-type'] === 'worker');
    const wantHeads = s.suspend ? 0 : 1;
    const wantWorkers = s.suspend ? 0 : s.workers;
    if (heads.length !== wantHeads) problems.push(`${name}: ${heads.length} head pods, want ${wantHeads}`);
    if (workers.length !== wantWorkers)
      problems.push(`${name}: ${workers.length} worker pods, want ${wantWorkers}`);
  }
  for (const p of pods) {
    const owner = p.metadata.labels?.['ray.io/cluster'];
    if (owner && !want.has(owner) && !names.has(owner))
      problems.push(`orphan pod ${p.metadata.name} of deleted cluster ${owner}`);
  }
  return problems;
}

export const percentile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
};

/** The RayClusters a chaos test wants, applied to the server: created when new, else patched to the spec. */
export class DesiredClusters {
  readonly want = new Map<string, Spec>();
  readonly client: KubeClient;
  readonly ns: string;
  constructor(client: KubeClient, ns: string) {
    this.client = client;
    this.ns = ns;
  }

  async put(name: string, s: Spec): Promise<void> {
    const fresh = !this.want.has(name);
    this.want.set(name, s);
    if (fresh) {
      await this.client.create(Resources.rayClusters, rayCluster(name, this.ns, s));
      return;
    }
    const { spec } = rayCluster(name, this.ns, s) as unknown as {
      spec: { suspend: boolean; workerGroupSpecs: object[] };
    };
    await this.client.patch(Resources.rayClusters, this.ns, name, {
      spec: { suspend: spec.suspend, workerGroupSpecs: spec.workerGroupSpecs },
    });
  }

  async remove(name: string): Promise<void> {
    this.want.delete(name);
    await this.client.delete(Resources.rayClusters, this.ns, name);
  }

  /** What is wrong with the namespace now (empty when it has converged). */
  divergence(): Promise<string[]> {
    return divergence(this.client, this.ns, this.want);
  }
}
