import { createHash } from 'node:crypto';
import type { RayCluster } from './types.ts';

const base32hex = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** RFC 4648 base32 with the extended-hex alphabet and padding (Go's base32.HexEncoding). */
export function base32HexEncode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += base32hex[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32hex[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/** JSON with object keys sorted and undefined dropped, so equal data always hashes the same. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : stableJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/**
 * The spec hash of the Recreate upgrade strategy (§3.4): SHA-1 of the spec with replica counts, workersToDelete,
 * tolerations, schedulingGates and upgradeStrategy removed, base32hex encoded.
 */
export function clusterSpecHash(rc: RayCluster): string {
  const spec = structuredClone(rc.spec) as RayCluster['spec'];
  delete spec.upgradeStrategy;
  delete spec.headGroupSpec.template.spec.tolerations;
  delete spec.headGroupSpec.template.spec.schedulingGates;
  for (const g of spec.workerGroupSpecs ?? []) {
    delete g.replicas;
    delete g.minReplicas;
    delete g.maxReplicas;
    if (g.scaleStrategy) delete g.scaleStrategy.workersToDelete;
    delete g.template.spec.tolerations;
    delete g.template.spec.schedulingGates;
  }
  return base32HexEncode(createHash('sha1').update(stableJson(spec)).digest());
}
