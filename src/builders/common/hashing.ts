/** Hash helpers shared by the builders (spec hashes compared with KubeRay's Go encoding). */
import { createHash } from 'node:crypto';
import { goJson } from '../../api/go-json.ts';

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

/**
 * KubeRay's utils.GenerateJsonHash over a RayClusterSpec: SHA-1 of Go's json.Marshal of the spec, base32hex.
 * The JSON is Go's byte for byte (src/api/go-json.ts); fields newer than KubeRay v1.5.0's Go types are
 * appended when set, so a spec KubeRay could hold hashes exactly as KubeRay hashes it.
 */
export function goSpecHash(spec: unknown): string {
  const json = goJson(spec, 'RayClusterSpec', { unknownFields: 'append' });
  return base32HexEncode(createHash('sha1').update(json).digest());
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
