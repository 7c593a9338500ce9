/**
 * The fields of Ray and core objects the CLI reads, as loose JSON (every other field passes through), and
 * the pure helpers over them: the relevant condition, pod readiness, worker-group resource totals.
 */

import type { Condition, Pod, PodSpec, RayCluster, WorkerGroupSpec } from '../api/index.ts';
import {
  addQuantities,
  formatQuantity,
  type ParsedQuantity,
  parseQuantity,
  scaleQuantity,
} from '../builders/common/quantity.ts';

export type { Condition, Container, Pod, PodSpec, RayCluster } from '../api/index.ts';
/** A worker group of a RayCluster spec. */
export type WorkerGroup = WorkerGroupSpec;

export const GPU = 'nvidia.com/gpu';
export const TPU = 'google.com/tpu';

/** The resource columns of KubeRay's tables (clusters, nodes, worker groups), in KubeRay's order. */
export const resourceHeaders = ['CPUs', 'GPUs', 'TPUs', 'Memory'] as const;

/** The cells under `resourceHeaders`: `text` prints one resource by name (`cpu`, GPU, TPU, `memory`). */
export const resourceCells = (text: (resource: string) => string): string[] =>
  ['cpu', GPU, TPU, 'memory'].map(text);

/** KubeRay's precedence: RayClusterProvisioned > HeadPodReady > RayClusterReplicaFailure > Suspended > Suspending. */
export function relevantCondition(cluster: RayCluster): Condition | undefined {
  const conditions = cluster.status?.conditions ?? [];
  for (const type of [
    'RayClusterProvisioned',
    'HeadPodReady',
    'RayClusterReplicaFailure',
    'RayClusterSuspended',
    'RayClusterSuspending',
  ]) {
    const c = conditions.find((x) => x.type === type);
    if (c?.status === 'True') return c;
  }
  return undefined;
}

export function isRunningAndReady(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** A quantity printed as resource.Quantity.String(); `0` when absent. */
export function quantityText(text: string | number | undefined): string {
  const q = parseQuantity(text);
  return q ? formatQuantity(q) : '0';
}

/** The pod's resources: per container, requests, with limits filling in what requests lack; summed. */
function podResources(spec: PodSpec): Map<string, ParsedQuantity> {
  const total = new Map<string, ParsedQuantity>();
  for (const c of spec.containers ?? []) {
    const merged: Record<string, string | number> = {
      ...(c.resources?.limits ?? {}),
      ...(c.resources?.requests ?? {}),
    };
    for (const [name, text] of Object.entries(merged)) {
      const q = parseQuantity(text);
      if (q) total.set(name, addQuantities(total.get(name), q));
    }
  }
  return total;
}

/** The resources a worker group asks for: its pod's times replicas × hosts; nothing when suspended. */
export function workerGroupResources(group: WorkerGroup): Map<string, ParsedQuantity> {
  if (group.suspend) return new Map();
  const factor = (group.replicas ?? 0) * (group.numOfHosts ?? 1);
  const out = new Map<string, ParsedQuantity>();
  for (const [k, q] of podResources(group.template?.spec ?? { containers: [] }))
    out.set(k, scaleQuantity(q, factor));
  return out;
}

export function formatOr0(q: ParsedQuantity | undefined): string {
  return q ? formatQuantity(q) : '0';
}
