import { Code, RpcError } from '../http/status.ts';

/**
 * A small protobuf-JSON codec driven by message descriptors, giving the bytes KubeRay's grpc-gateway gives:
 * lowerCamelCase names, enums as numbers, zero values omitted, 64-bit integers as strings, timestamps in
 * RFC 3339, map keys sorted. Decoding accepts the JSON and the proto field names and enum names or numbers, as
 * protojson does, but (unlike KubeRay, which discards them) refuses unknown fields, naming them.
 */
export interface EnumDef {
  readonly name: string;
  readonly values: Readonly<Record<string, number>>;
}

export type Scalar =
  | 'string'
  | 'bool'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float'
  | 'double'
  | 'timestamp';
export type FieldType =
  | Scalar
  | { readonly enum: EnumDef }
  | { readonly message: () => MessageDef }
  | { readonly map: Scalar | { readonly message: () => MessageDef } };

export interface FieldDef {
  readonly name: string;
  readonly json: string;
  readonly number: number;
  readonly type: FieldType;
  readonly repeated?: boolean;
  /** proto3 `optional`: presence is tracked, so a set zero value is written too. */
  readonly optional?: boolean;
}

export interface MessageDef {
  readonly name: string;
  readonly fields: readonly FieldDef[];
}

/** Builds a field; the JSON name is protoc's lowerCamelCase of the proto name. */
export function field(number: number, name: string, type: FieldType, repeated = false): FieldDef {
  return { number, name, json: jsonName(name), type, ...(repeated ? { repeated } : {}) };
}

/** protoc's json_name: drop underscores and upper-case the letter after each. */
export function jsonName(proto: string): string {
  let out = '';
  let upper = false;
  for (const ch of proto) {
    if (ch === '_') upper = true;
    else {
      out += upper ? ch.toUpperCase() : ch;
      upper = false;
    }
  }
  return out;
}

/** A decoded message: JSON names to values (enums as numbers, messages as decoded objects). */
export type Decoded = { readonly [k: string]: unknown };

const bad = (path: string, why: string) =>
  new RpcError(Code.InvalidArgument, `invalid value for ${path}: ${why}`);

export function decodeMessage(def: MessageDef, value: unknown, path: string): Decoded {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw bad(path, `want a JSON object for ${def.name}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const f = def.fields.find((x) => x.json === k || x.name === k);
    if (!f) throw new RpcError(Code.InvalidArgument, `unknown field "${k}" in ${path} (${def.name})`);
    if (v === null) continue;
    const p = `${path}.${f.json}`;
    if (f.repeated) {
      if (!Array.isArray(v)) throw bad(p, 'want a JSON array');
      out[f.json] = v.map((e, i) => decodeValue(f.type, e, `${p}[${i}]`));
    } else out[f.json] = decodeValue(f.type, v, p);
  }
  return out;
}

function decodeValue(t: FieldType, v: unknown, path: string): unknown {
  if (typeof t === 'string') return decodeScalar(t, v, path);
  if ('enum' in t) {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && v in t.enum.values) return t.enum.values[v];
    throw bad(path, `want one of ${Object.keys(t.enum.values).join(', ')} (${t.enum.name})`);
  }
  if ('message' in t) return decodeMessage(t.message(), v, path);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(path, 'want a JSON object (a map)');
  const out: Record<string, unknown> = {};
  const valueType = t.map;
  for (const [k, e] of Object.entries(v)) {
    if (e === null) throw bad(`${path}["${k}"]`, 'map values cannot be null');
    out[k] =
      typeof valueType === 'string'
        ? decodeScalar(valueType, e, `${path}["${k}"]`)
        : decodeMessage(valueType.message(), e, `${path}["${k}"]`);
  }
  return out;
}

const ranges: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

function decodeScalar(t: Scalar, v: unknown, path: string): unknown {
  switch (t) {
    case 'string':
      if (typeof v !== 'string') throw bad(path, 'want a string');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw bad(path, 'want true or false');
      return v;
    case 'float':
    case 'double': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || Number.isNaN(n)) throw bad(path, 'want a number');
      return n;
    }
    case 'timestamp':
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw bad(path, 'want an RFC 3339 timestamp');
      return v;
    default: {
      const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
      const [lo, hi] = ranges[t]!;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw bad(path, `want an integer (${t})`);
      if (n < lo || n > hi) throw bad(path, `out of range for ${t}`);
      return n;
    }
  }
}

/** Encodes a message as grpc-gateway does (EmitUnpopulated false, UseEnumNumbers true). */
export function encodeMessage(def: MessageDef, value: Decoded | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!value) return out;
  for (const f of def.fields) {
    const v = value[f.json];
    if (v === undefined || v === null) continue;
    if (f.repeated) {
      if (!Array.isArray(v) || v.length === 0) continue;
      out[f.json] = v.map((e) => encodeValue(f.type, e, true));
      continue;
    }
    const e = encodeValue(f.type, v, f.optional === true);
    if (e !== undefined) out[f.json] = e;
  }
  return out;
}

function encodeValue(t: FieldType, v: unknown, inList: boolean): unknown {
  if (typeof t === 'string') return encodeScalar(t, v, inList);
  if ('enum' in t) return v === 0 && !inList ? undefined : v;
  if ('message' in t) return encodeMessage(t.message(), v as Decoded);
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  if (entries.length === 0) return undefined;
  const valueType = t.map;
  return Object.fromEntries(
    entries.map(([k, e]) => [
      k,
      typeof valueType === 'string'
        ? encodeScalar(valueType, e, true)
        : encodeMessage(valueType.message(), e as Decoded),
    ]),
  );
}

function encodeScalar(t: Scalar, v: unknown, keepZero: boolean): unknown {
  if (t === 'timestamp') return v === '' ? undefined : v;
  const zero = v === '' || v === 0 || v === false;
  if (zero && !keepZero) return undefined;
  if (t === 'int64' || t === 'uint64') return String(v);
  return v;
}

/** protojson's Timestamp text: RFC 3339 in UTC, fractional seconds only when non-zero. */
export function timestamp(seconds: number, nanos = 0): string {
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  if (nanos === 0) return `${base}Z`;
  const frac = String(nanos)
    .padStart(9, '0')
    .replace(/(000)+$/, '');
  return `${base}.${frac}Z`;
}

/** Seconds of a Kubernetes time (RFC 3339), as KubeRay's `Timestamp{Seconds: t.Unix()}` (0 when unset). */
export function unixSeconds(time: string | undefined): number {
  if (!time) return Math.floor(Date.parse('0001-01-01T00:00:00Z') / 1000);
  return Math.floor(Date.parse(time) / 1000);
}
