import { Code, RpcError } from '../http/status.ts';
import type { Decoded, FieldDef, FieldType, MessageDef, Scalar } from '../v1/proto-json.ts';

/**
 * The protobuf binary wire format over the same message descriptors as the JSON codec, with the same decoded
 * form (JSON field names, enums as numbers, google.protobuf.Timestamp as RFC 3339 text), so the V1 handlers
 * serve gRPC unchanged. proto3 rules: zero values are not written, repeated scalars are packed (both forms
 * are read), maps are repeated key/value entries, unknown fields are skipped.
 */

class Writer {
  readonly #chunks: Uint8Array[] = [];
  #len = 0;
  bytes(b: Uint8Array): void {
    this.#chunks.push(b);
    this.#len += b.length;
  }
  varint(v: bigint): void {
    let n = BigInt.asUintN(64, v);
    const out: number[] = [];
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) byte |= 0x80;
      out.push(byte);
    } while (n > 0n);
    this.bytes(Uint8Array.from(out));
  }
  tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }
  lengthDelimited(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(BigInt(b.length));
    this.bytes(b);
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.#len);
    let off = 0;
    for (const c of this.#chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

const isVarint = (t: Scalar) =>
  t === 'bool' || t === 'int32' || t === 'uint32' || t === 'int64' || t === 'uint64';
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

function timestampMessage(text: string): Uint8Array {
  const ms = Date.parse(text);
  const frac = /\.(\d+)Z$/.exec(text)?.[1] ?? '';
  const seconds = Math.floor(ms / 1000);
  const nanos = frac ? Number(frac.padEnd(9, '0').slice(0, 9)) : 0;
  const w = new Writer();
  if (seconds !== 0) {
    w.tag(1, 0);
    w.varint(BigInt(seconds));
  }
  if (nanos !== 0) {
    w.tag(2, 0);
    w.varint(BigInt(nanos));
  }
  return w.finish();
}

function scalarBytes(t: Scalar, v: unknown): Uint8Array {
  const w = new Writer();
  writeScalarValue(w, t, v);
  return w.finish();
}

function writeScalarValue(w: Writer, t: Scalar, v: unknown): void {
  if (t === 'float') {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, Number(v), true);
    w.bytes(b);
  } else if (t === 'double') {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, Number(v), true);
    w.bytes(b);
  } else if (t === 'bool') w.varint(v ? 1n : 0n);
  else w.varint(BigInt(Math.trunc(Number(v))));
}

const wireOf = (t: Scalar): number => (t === 'float' ? 5 : t === 'double' ? 1 : isVarint(t) ? 0 : 2);

function isZero(t: FieldType, v: unknown): boolean {
  if (typeof t === 'string') return v === '' || v === 0 || v === false;
  if ('enum' in t) return v === 0;
  return false;
}

function writeField(w: Writer, f: FieldDef, v: unknown): void {
  const t = f.type;
  if (typeof t === 'string') {
    if (t === 'string') w.lengthDelimited(f.number, utf8.encode(String(v)));
    else if (t === 'timestamp') w.lengthDelimited(f.number, timestampMessage(String(v)));
    else {
      w.tag(f.number, wireOf(t));
      writeScalarValue(w, t, v);
    }
  } else if ('enum' in t) {
    w.tag(f.number, 0);
    w.varint(BigInt(Number(v)));
  } else if ('message' in t) w.lengthDelimited(f.number, encodeBinary(t.message(), v as Decoded));
  else {
    const valueType = t.map;
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      const entry = new Writer();
      entry.lengthDelimited(1, utf8.encode(k));
      if (typeof valueType === 'string') {
        if (valueType === 'string') entry.lengthDelimited(2, utf8.encode(String(e)));
        else {
          entry.tag(2, wireOf(valueType));
          writeScalarValue(entry, valueType, e);
        }
      } else entry.lengthDelimited(2, encodeBinary(valueType.message(), e as Decoded));
      w.lengthDelimited(f.number, entry.finish());
    }
  }
}

export function encodeBinary(def: MessageDef, value: Decoded | undefined): Uint8Array {
  const w = new Writer();
  if (!value) return w.finish();
  for (const f of [...def.fields].sort((a, b) => a.number - b.number)) {
    const v = value[f.json];
    if (v === undefined || v === null) continue;
    if (f.repeated) {
      const list = v as unknown[];
      if (list.length === 0) continue;
      const t = f.type;
      if (typeof t === 'string' && t !== 'string' && t !== 'timestamp') {
        const packed = new Writer();
        for (const e of list) packed.bytes(scalarBytes(t, e));
        w.lengthDelimited(f.number, packed.finish());
      } else if (typeof t === 'object' && 'enum' in t) {
        const packed = new Writer();
        for (const e of list) packed.varint(BigInt(Number(e)));
        w.lengthDelimited(f.number, packed.finish());
      } else for (const e of list) writeField(w, f, e);
      continue;
    }
    if (typeof f.type === 'object' && 'map' in f.type && Object.keys(v as object).length === 0) continue;
    if (!f.optional && isZero(f.type, v)) continue;
    writeField(w, f, v);
  }
  return w.finish();
}

class Reader {
  readonly buf: Uint8Array;
  pos = 0;
  readonly end: number;
  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw malformed('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw malformed('varint too long');
    }
  }
  take(n: number): Uint8Array {
    if (this.pos + n > this.end) throw malformed('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.take(8);
    else if (wire === 2) this.take(Number(this.varint()));
    else if (wire === 5) this.take(4);
    else throw malformed(`unsupported wire type ${wire}`);
  }
}

const malformed = (why: string) => new RpcError(Code.InvalidArgument, `malformed protobuf message: ${why}`);

function scalarFromVarint(t: Scalar | 'enum', v: bigint): unknown {
  if (t === 'bool') return v !== 0n;
  if (t === 'int32' || t === 'enum') return Number(BigInt.asIntN(32, v));
  if (t === 'uint32') return Number(BigInt.asUintN(32, v));
  if (t === 'int64') return Number(BigInt.asIntN(64, v));
  return Number(BigInt.asUintN(64, v));
}

function readScalar(r: Reader, t: Scalar): unknown {
  if (t === 'float') return new DataView(r.take(4).slice().buffer).getFloat32(0, true);
  if (t === 'double') return new DataView(r.take(8).slice().buffer).getFloat64(0, true);
  return scalarFromVarint(t, r.varint());
}

function readTimestamp(b: Uint8Array): string {
  const r = new Reader(b);
  let seconds = 0;
  let nanos = 0;
  while (r.pos < r.end) {
    const key = Number(r.varint());
    if (key >>> 3 === 1 && (key & 7) === 0) seconds = Number(BigInt.asIntN(64, r.varint()));
    else if (key >>> 3 === 2 && (key & 7) === 0) nanos = Number(BigInt.asIntN(32, r.varint()));
    else r.skip(key & 7);
  }
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  if (nanos === 0) return `${base}Z`;
  return `${base}.${String(nanos)
    .padStart(9, '0')
    .replace(/(000)+$/, '')}Z`;
}

function readValue(r: Reader, wire: number, t: FieldType): unknown {
  if (typeof t === 'string') {
    if (t === 'string') {
      if (wire !== 2) throw malformed('a string field with a non-length wire type');
      const bytes = r.take(Number(r.varint()));
      try {
        return fromUtf8.decode(bytes);
      } catch {
        throw malformed('a string field is not valid UTF-8');
      }
    }
    if (t === 'timestamp') return readTimestamp(r.take(Number(r.varint())));
    return readScalar(r, t);
  }
  if ('enum' in t) return scalarFromVarint('enum', r.varint());
  if ('message' in t) {
    const n = Number(r.varint());
    const start = r.pos;
    r.take(n);
    return decodeBinaryRange(t.message(), r.buf, start, start + n);
  }
  throw malformed('unexpected map value');
}

export function decodeBinary(def: MessageDef, buf: Uint8Array): Decoded {
  return decodeBinaryRange(def, buf, 0, buf.length);
}

function decodeBinaryRange(def: MessageDef, buf: Uint8Array, start: number, end: number): Decoded {
  const r = new Reader(buf, start, end);
  const out: Record<string, unknown> = {};
  const byNumber = new Map(def.fields.map((f) => [f.number, f]));
  while (r.pos < r.end) {
    const key = Number(r.varint());
    const number = key >>> 3;
    const wire = key & 7;
    const f = byNumber.get(number);
    if (!f) {
      r.skip(wire);
      continue;
    }
    const t = f.type;
    if (typeof t === 'object' && 'map' in t) {
      const n = Number(r.varint());
      const entry = new Reader(r.take(n));
      let k = '';
      let v: unknown = typeof t.map === 'string' ? (t.map === 'string' ? '' : 0) : {};
      while (entry.pos < entry.end) {
        const ek = Number(entry.varint());
        if (ek >>> 3 === 1) k = readValue(entry, ek & 7, 'string') as string;
        else if (ek >>> 3 === 2)
          v = readValue(entry, ek & 7, typeof t.map === 'string' ? t.map : { message: t.map.message });
        else entry.skip(ek & 7);
      }
      const m = (out[f.json] ?? {}) as Record<string, unknown>;
      m[k] = v;
      out[f.json] = m;
      continue;
    }
    if (f.repeated) {
      const list = (out[f.json] ?? []) as unknown[];
      out[f.json] = list;
      const packable = typeof t === 'string' ? t !== 'string' && t !== 'timestamp' : 'enum' in t;
      if (packable && wire === 2) {
        const n = Number(r.varint());
        const packed = new Reader(r.take(n));
        while (packed.pos < packed.end)
          list.push(
            typeof t === 'string' ? readScalar(packed, t) : scalarFromVarint('enum', packed.varint()),
          );
      } else list.push(readValue(r, wire, t));
      continue;
    }
    out[f.json] = readValue(r, wire, t);
  }
  return out;
}
