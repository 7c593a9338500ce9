import type { RayClusterSpec, WorkerGroupSpec } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { goSpecHash } from '../common/hashing.ts';

export { base32HexEncode, stableJson } from '../common/hashing.ts';

/**
 * The part of a cluster spec whose change means "a different cluster", as KubeRay v1.5.0 decides it
 * (rayservice_controller.go, generateHashWithoutReplicasAndWorkersToDelete): the spec with, per worker group,
 * replicas, minReplicas, maxReplicas and scaleStrategy.workersToDelete cleared (the autoscaler changes those).
 */
export function hashableClusterSpec(spec: RayClusterSpec): RayClusterSpec {
  const out = copyJson(spec);
  for (const g of out.workerGroupSpecs ?? []) {
    // The counts are required in the type (the API server defaults them): delete through a wider view.
    const counts: Partial<Pick<WorkerGroupSpec, 'replicas' | 'minReplicas' | 'maxReplicas'>> = g;
    delete counts.replicas;
    delete counts.minReplicas;
    delete counts.maxReplicas;
    if (g.scaleStrategy) delete (g.scaleStrategy as { workersToDelete?: unknown }).workersToDelete;
  }
  return out;
}

/**
 * The `ray.io/hash-without-replicas-and-workers-to-delete` value: SHA-1 of Go's JSON of the hashable spec,
 * base32hex; equal to KubeRay's for the same stored spec, so neither operator replaces the other's clusters.
 */
export function clusterSpecHash(spec: RayClusterSpec): string {
  return goSpecHash(hashableClusterSpec(spec));
}

/** The hash of the goal spec cut to its first `groups` worker groups (the "only groups appended" check). */
export function partialClusterSpecHash(spec: RayClusterSpec, groups: number): string {
  const workers = spec.workerGroupSpecs ?? [];
  return clusterSpecHash({ ...spec, workerGroupSpecs: workers.slice(0, Math.max(0, groups)) });
}
