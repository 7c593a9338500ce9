import { createHash } from 'node:crypto';
import type { RayClusterSpec } from './types.ts';

const base32Hex = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** RFC 4648 base32 with the "extended hex" alphabet and `=` padding (Go's base32.HexEncoding). */
export function base32HexEncode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += base32Hex[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += base32Hex[(buffer << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/** JSON with object keys sorted and undefined dropped, so equal specs always hash equal. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : stableJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

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
