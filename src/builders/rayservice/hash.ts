import { createHash } from 'node:crypto';
import { base32HexEncode, stableJson } from '../common/hashing.ts';
import type { RayClusterSpec } from './types.ts';

export { base32HexEncode, stableJson } from '../common/hashing.ts';

function without(obj: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const copy: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  for (const k of keys) delete copy[k];
  return copy;
}

/**
 * The part of a cluster spec whose change means "a different cluster": the spec without suspend, the
 * upgrade strategy, the head's tolerations and scheduling gates, and per worker group the replica counts,
 * workersToDelete, tolerations and scheduling gates (those change without a new cluster: autoscaler, Kueue).
 */
export function hashableClusterSpec(spec: RayClusterSpec): Record<string, unknown> {
  const out = without(spec, ['suspend', 'upgradeStrategy'])!;
  const head = spec.headGroupSpec;
  if (head) {
    const template = head.template;
    out.headGroupSpec = {
      ...head,
      ...(template
        ? { template: { ...template, spec: without(template.spec, ['tolerations', 'schedulingGates']) } }
        : {}),
    };
  }
  out.workerGroupSpecs = (spec.workerGroupSpecs ?? []).map((g) => {
    const group = without(g, ['replicas', 'minReplicas', 'maxReplicas'])!;
    const scale = without(g.scaleStrategy, ['workersToDelete']);
    if (scale && Object.keys(scale).length > 0) group.scaleStrategy = scale;
    else delete group.scaleStrategy;
    const template = g.template;
    if (template)
      group.template = { ...template, spec: without(template.spec, ['tolerations', 'schedulingGates']) };
    return group;
  });
  return out;
}

/** The `ray.io/hash-without-replicas-and-workers-to-delete` value: SHA-1 of the hashable spec, base32hex. */
export function clusterSpecHash(spec: RayClusterSpec): string {
  const digest = createHash('sha1')
    .update(stableJson(hashableClusterSpec(spec)))
    .digest();
  return base32HexEncode(digest);
}

/** The hash of the goal spec cut to its first `groups` worker groups (the "only groups appended" check). */
export function partialClusterSpecHash(spec: RayClusterSpec, groups: number): string {
  const workers = spec.workerGroupSpecs ?? [];
  return clusterSpecHash({ ...spec, workerGroupSpecs: workers.slice(0, Math.max(0, groups)) });
}
