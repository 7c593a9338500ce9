/**
 * The chaos suites' RayJobs and RayServices on KWOK nodes (no Ray runs), and the check that a namespace has
 * converged to them. Without Ray a RayJob creates its RayCluster, waits for it to be ready, creates the
 * submitter Job (which KWOK completes at once), then fails 30 s later because no Ray job answers; a RayService
 * keeps one pending cluster that never serves. What must hold whatever the timing is structural: every object
 * has a status that says where it stands, each RayJob and RayService owns the clusters its state allows and no
 * more, a suspended one owns none, nothing owned outlives its owner, and a deleted object is gone.
 */
import type { KubeClient } from '../../src/k8s/client.ts';
import type { KubeObject } from '../../src/k8s/objects.ts';
import { Resources } from '../../src/k8s/resources.ts';

export interface JobSpec {
  suspend: boolean;
  /** `shutdownAfterJobFinishes` (with `ttlSecondsAfterFinished: 0`). */
  shutdown: boolean;
}

export interface ServiceSpec {
  suspend: boolean;
  /** A label of the worker template: bumping it is a spec change that needs a new (pending) cluster. */
  rev: number;
}

function clusterSpec(rev: number): Record<string, unknown> {
  const template = (c: string, labels: Record<string, string> = {}) => ({
    metadata: { labels },
    spec: {
      nodeSelector: { type: 'kwok' },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [{ name: c, image: 'rayproject/ray:2.46.0', resources: { requests: { cpu: '10m' } } }],
    },
  });
  return {
    rayVersion: '2.46.0',
    headGroupSpec: { rayStartParams: {}, template: template('ray-head') },
    workerGroupSpecs: [
      {
        groupName: 'g',
        replicas: 1,
        minReplicas: 0,
        maxReplicas: 4,
        rayStartParams: {},
        template: template('ray-worker', { rev: String(rev) }),
      },
    ],
  };
}

export function rayJob(name: string, ns: string, s: JobSpec): KubeObject {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name, namespace: ns },
    spec: {
      entrypoint: 'python -c "print(1)"',
      suspend: s.suspend,
      shutdownAfterJobFinishes: s.shutdown,
      ...(s.shutdown ? { ttlSecondsAfterFinished: 0 } : {}),
      rayClusterSpec: clusterSpec(0),
      submitterPodTemplate: {
        spec: {
          restartPolicy: 'Never',
          nodeSelector: { type: 'kwok' },
          tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [{ name: 'ray-job-submitter', image: 'rayproject/ray:2.46.0' }],
        },
      },
    },
  } as unknown as KubeObject;
}

export function rayService(name: string, ns: string, s: ServiceSpec): KubeObject {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name, namespace: ns },
    spec: {
      suspend: s.suspend,
      // Old clusters go at once, so "at most an active and a pending cluster" holds as soon as it converged.
      rayClusterDeletionDelaySeconds: 0,
      serveConfigV2: 'applications:\n  - name: app\n    import_path: app:app\n',
      rayClusterConfig: clusterSpec(s.rev),
    },
  } as unknown as KubeObject;
}

/** The patch that makes a RayService's spec `s` (suspend and the worker template's rev). */
export function rayServicePatch(s: ServiceSpec): Record<string, unknown> {
  const spec = clusterSpec(s.rev) as { workerGroupSpecs: unknown[] };
  return { spec: { suspend: s.suspend, rayClusterConfig: { workerGroupSpecs: spec.workerGroupSpecs } } };
}

interface Meta {
  name?: string;
  uid?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  labels?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid: string }[];
}
type Obj = KubeObject & { metadata: Meta; spec?: Record<string, unknown>; status?: Record<string, unknown> };
type Condition = { type: string; status: string; reason?: string };
type ClusterSpec = {
  suspend?: boolean;
  workerGroupSpecs?: { replicas?: number; suspend?: boolean; template?: { metadata?: Meta } }[];
};

const ownedBy = (o: Obj, owner: Obj) =>
  (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
const live = (o: Obj) => !o.metadata.deletionTimestamp;

/** One list of each kind the checks read, taken once per poll (100 objects: per-object lists would dominate). */
export interface Snapshot {
  readonly rayJobs: Obj[];
  readonly rayServices: Obj[];
  readonly rayClusters: Obj[];
  readonly pods: Obj[];
  readonly services: Obj[];
  readonly jobs: Obj[];
}

/** Lists the six kinds of `ns` at once (in parallel), for `clusterProblems` and `workloadProblems`. */
export async function snapshot(client: KubeClient, ns: string): Promise<Snapshot> {
  const list = async (r: (typeof Resources)[keyof typeof Resources]) =>
    (await client.list(r, { namespace: ns })).items as Obj[];
  const [rayJobs, rayServices, rayClusters, pods, services, jobs] = await Promise.all([
    list(Resources.rayJobs),
    list(Resources.rayServices),
    list(Resources.rayClusters),
    list(Resources.pods),
    list(Resources.services),
    list(Resources.jobs),
  ]);
  return { rayJobs, rayServices, rayClusters, pods, services, jobs };
}

/** What is wrong with the snapshot's RayJobs, RayServices and what they own; empty when converged. */
export function workloadProblems(
  snap: Snapshot,
  jobs: Map<string, JobSpec>,
  services: Map<string, ServiceSpec>,
): string[] {
  const { rayJobs: rjs, rayServices: rss, rayClusters: rcs, pods, services: svcs, jobs: k8sJobs } = snap;
  const problems: string[] = [];
  for (const [kind, objs, want] of [
    ['RayJob', rjs, jobs],
    ['RayService', rss, services],
  ] as const)
    for (const o of objs)
      if (!want.has(o.metadata.name ?? ''))
        problems.push(
          `${kind} ${o.metadata.name} was deleted but still exists (finalizers ${o.metadata.finalizers})`,
        );

  for (const [name, s] of jobs) {
    const rj = rjs.find((o) => o.metadata.name === name);
    if (!rj) {
      problems.push(`RayJob ${name} is missing`);
      continue;
    }
    const st = (rj.status ?? {}) as {
      jobDeploymentStatus?: string;
      reason?: string;
      message?: string;
      rayClusterName?: string;
    };
    const dep = st.jobDeploymentStatus;
    const clusters = rcs.filter((c) => ownedBy(c, rj));
    const liveClusters = clusters.filter(live);
    const where = `RayJob ${name} (${dep}, ${liveClusters.length} live clusters)`;
    if (!dep) problems.push(`RayJob ${name} has no jobDeploymentStatus`);
    else if (['New', 'Suspending', 'Retrying'].includes(dep)) problems.push(`${where}: still ${dep}`);
    else if (dep === 'Suspended') {
      if (!s.suspend) problems.push(`${where}: suspended but spec.suspend is false`);
      if (clusters.length > 0) problems.push(`${where}: suspended but owns clusters`);
      if (k8sJobs.some((j) => live(j) && ownedBy(j, rj)))
        problems.push(`${where}: suspended but owns a submitter Job`);
    } else if (dep === 'Initializing' || dep === 'Running') {
      if (s.suspend) problems.push(`${where}: spec.suspend is true`);
      if (liveClusters.length !== 1 || liveClusters[0]!.metadata.name !== st.rayClusterName)
        problems.push(`${where}: want exactly its cluster ${st.rayClusterName}`);
      if (!st.message) problems.push(`${where}: no message saying what it waits for`);
    } else if (dep === 'Complete' || dep === 'Failed') {
      if (dep === 'Failed' && !st.reason) problems.push(`${where}: Failed without a reason`);
      if (s.shutdown ? liveClusters.length !== 0 : liveClusters.length > 1)
        problems.push(`${where}: shutdownAfterJobFinishes=${s.shutdown}`);
    } else problems.push(`${where}: unexpected state`);
  }

  for (const [name, s] of services) {
    const rs = rss.find((o) => o.metadata.name === name);
    if (!rs) {
      problems.push(`RayService ${name} is missing`);
      continue;
    }
    const st = (rs.status ?? {}) as {
      conditions?: Condition[];
      activeServiceStatus?: { rayClusterName?: string };
      pendingServiceStatus?: { rayClusterName?: string };
    };
    const named = [st.activeServiceStatus?.rayClusterName, st.pendingServiceStatus?.rayClusterName].filter(
      Boolean,
    );
    const clusters = rcs.filter((c) => ownedBy(c, rs));
    const liveClusters = clusters.filter(live);
    const where = `RayService ${name} (${liveClusters.length} live clusters, status names ${named.join(', ') || 'none'})`;
    const cond = (t: string) => st.conditions?.find((c) => c.type === t);
    if (!cond('Ready')?.reason) problems.push(`${where}: no Ready condition with a reason`);
    if (liveClusters.length > 2) problems.push(`${where}: more than an active and a pending cluster`);
    for (const c of liveClusters)
      if (!named.includes(c.metadata.name))
        problems.push(`${where}: owns ${c.metadata.name}, neither active nor pending`);
    if (s.suspend) {
      if (clusters.length > 0) problems.push(`${where}: suspended but owns clusters`);
      if (cond('Suspended')?.status !== 'True') problems.push(`${where}: spec.suspend but not Suspended`);
    } else {
      const revs = liveClusters.map(
        (c) => (c.spec as ClusterSpec).workerGroupSpecs?.[0]?.template?.metadata?.labels?.rev,
      );
      if (!revs.includes(String(s.rev)))
        problems.push(`${where}: no cluster with the spec's rev ${s.rev} (${revs})`);
    }
  }

  // Every cluster a RayJob or RayService owns has its pods: 1 head and its workers (none when suspended).
  const livePods = pods.filter(live);
  for (const c of rcs.filter((c) => live(c) && (c.metadata.ownerReferences ?? []).length > 0)) {
    const spec = c.spec as ClusterSpec;
    const mine = livePods.filter((p) => p.metadata.labels?.['ray.io/cluster'] === c.metadata.name);
    const heads = mine.filter((p) => p.metadata.labels?.['ray.io/node-type'] === 'head').length;
    const workers = mine.filter((p) => p.metadata.labels?.['ray.io/node-type'] === 'worker').length;
    const wantWorkers = spec.suspend
      ? 0
      : (spec.workerGroupSpecs ?? []).reduce((n, g) => n + (g.suspend ? 0 : (g.replicas ?? 0)), 0);
    if (heads !== (spec.suspend ? 0 : 1) || workers !== wantWorkers)
      problems.push(
        `cluster ${c.metadata.name}: ${heads} head and ${workers} worker pods, want ${spec.suspend ? 0 : 1} and ${wantWorkers}`,
      );
  }

  // Nothing outlives its owner: every owner reference names an object that exists (by uid).
  const uids = new Set([...rjs, ...rss, ...rcs, ...k8sJobs].map((o) => o.metadata.uid));
  const orphans = [
    ...rcs.map((o) => ['RayCluster', o] as const),
    ...[...svcs.filter(live)].map((o) => ['Service', o] as const),
    ...[...k8sJobs.filter(live)].map((o) => ['Job', o] as const),
    ...livePods.map((o) => ['Pod', o] as const),
  ];
  for (const [kind, o] of orphans)
    for (const r of o.metadata.ownerReferences ?? [])
      if (!uids.has(r.uid)) problems.push(`orphan ${kind} ${o.metadata.name} of deleted ${r.kind} ${r.name}`);
  return problems;
}
