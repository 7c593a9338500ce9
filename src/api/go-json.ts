/**
 * `goJson(value, type)`: the bytes Go's json.Marshal writes for `value` once decoded into KubeRay's Go type,
 * so that hashes over it equal KubeRay's. The field order and encoding options come from
 * go-types.generated.json, generated from KubeRay's Go types (scripts/gen-go-field-order.ts); nothing here
 * names a field. What Go does and this reproduces:
 * - struct fields in declaration order; fields Go does not know are dropped (as its decoder drops them);
 * - `omitempty` omits "", 0, false, nil pointers and empty slices and maps, never a struct;
 * - `omitzero` omits zero values (a zero time, a nil slice or map, a struct whose fields are all zero);
 * - a field without `omitempty` is always written: absent strings as "", numbers as 0, booleans as false,
 *   pointers, slices and maps as null, structs with all their fields (recursively);
 * - embedded structs are flattened into their parent; map keys are sorted bytewise;
 * - strings escape <, > and & (HTML-safe) and U+2028/U+2029; Quantity is canonical, IntOrString is a number
 *   or a string, Time is RFC 3339 in UTC with whole seconds (null when zero).
 */

import { metaTime } from '../lib/clock.ts';
import { goQuantityString } from './go-quantity.ts';
import goTypesFile from './go-types.generated.json' with { type: 'json' };

interface GoField {
  readonly name: string;
  readonly type: string;
  readonly omitempty?: boolean;
  readonly omitzero?: boolean;
  readonly inline?: boolean;
}

export interface GoTypes {
  readonly roots: Readonly<Record<string, string>>;
  readonly types: Readonly<Record<string, readonly GoField[]>>;
}

const generated = goTypesFile as GoTypes;

/** The root types the generator walked from, by short name (e.g. `RayClusterSpec`). */
type GoRootType = keyof typeof goTypesFile.roots;

const htmlUnsafe = /[<>&\u2028\u2029]/g;

const escapeHtml = (json: string) =>
  json.replace(htmlUnsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A JSON string as Go writes it (HTML-escaped, invalid UTF-16 replaced by U+FFFD). */
export function goString(s: string): string {
  return escapeHtml(JSON.stringify(s.toWellFormed()));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goTime(v: unknown): string {
  if (v === undefined || v === null || v === '') return 'null';
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new Error(`time ${JSON.stringify(v)}: not an RFC 3339 time`);
  return `"${metaTime(d.getTime())}"`;
}

const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** JSON with sorted keys, for values Go's types do not describe (the `append` mode of unknown fields). */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : sortedJson(x))).join(',')}]`;
  if (!isObject(v)) return v === undefined ? 'null' : escapeHtml(JSON.stringify(v));
  const keys = Object.keys(v)
    .filter((k) => v[k] !== undefined)
    .sort(bytewise);
  return `{${keys.map((k) => `${goString(k)}:${sortedJson(v[k])}`).join(',')}}`;
}

interface GoJsonOptions {
  /**
   * Fields the Go types do not have: `drop` them, as Go's decoder does (the default), or `append` them after
   * the Go fields of their object, sorted, when set: a value Go's types fully describe encodes identically in
   * both modes, and a change in a newer field still changes the output.
   */
  readonly unknownFields?: 'drop' | 'append';
  readonly types?: GoTypes;
}

class Encoder {
  private readonly types: GoTypes['types'];
  private readonly appendUnknown: boolean;

  constructor(types: GoTypes['types'], appendUnknown: boolean) {
    this.types = types;
    this.appendUnknown = appendUnknown;
  }

  encode(v: unknown, type: string, path: string): string {
    if (type.startsWith('*'))
      return v === undefined || v === null ? 'null' : this.encode(v, type.slice(1), path);
    if (type.startsWith('[]')) {
      if (v === undefined || v === null) return 'null';
      if (!Array.isArray(v)) throw new Error(`${path}: expected a list`);
      return `[${v.map((x, i) => this.encode(x, type.slice(2), `${path}[${i}]`)).join(',')}]`;
    }
    if (type.startsWith('map:')) {
      if (v === undefined || v === null) return 'null';
      if (!isObject(v)) throw new Error(`${path}: expected an object`);
      const keys = Object.keys(v).sort(bytewise);
      const elem = type.slice(4);
      return `{${keys.map((k) => `${goString(k)}:${this.encode(v[k], elem, `${path}.${k}`)}`).join(',')}}`;
    }
    switch (type) {
      case 'string':
        return goString(v === undefined || v === null ? '' : String(v));
      case 'bool':
        return v === true ? 'true' : 'false';
      case 'int':
        if (v === undefined || v === null) return '0';
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`${path}: expected an integer`);
        return String(v);
      case 'quantity':
        return v === undefined || v === null ? '"0"' : `"${goQuantityString(v as string | number)}"`;
      case 'intOrString':
        if (typeof v === 'string') return goString(v);
        return v === undefined || v === null ? '0' : String(v);
      case 'time':
        return goTime(v);
      case 'fieldsV1':
        return v === undefined || v === null ? 'null' : escapeHtml(JSON.stringify(v));
    }
    const fields = this.types[type];
    if (!fields) throw new Error(`${path}: unknown Go type ${type} (regenerate go-types.generated.json)`);
    const obj = isObject(v) ? v : {};
    const out: string[] = [];
    this.struct(obj, fields, path, out);
    if (this.appendUnknown) {
      const known = this.names(fields);
      const extra = Object.keys(obj)
        .filter((k) => !known.has(k) && obj[k] !== undefined)
        .sort(bytewise);
      for (const k of extra) out.push(`${goString(k)}:${sortedJson(obj[k])}`);
    }
    return `{${out.join(',')}}`;
  }

  private readonly known = new Map<readonly GoField[], ReadonlySet<string>>();

  /** The JSON names of a struct's fields, embedded structs' included. */
  private names(fields: readonly GoField[]): ReadonlySet<string> {
    let names = this.known.get(fields);
    if (!names) {
      names = new Set(
        fields.flatMap((f) => (f.inline ? [...this.names(this.types[f.type] ?? [])] : [f.name])),
      );
      this.known.set(fields, names);
    }
    return names;
  }

  private struct(
    obj: Record<string, unknown>,
    fields: readonly GoField[],
    path: string,
    out: string[],
  ): void {
    for (const f of fields) {
      if (f.inline) {
        this.struct(obj, this.types[f.type] ?? [], path, out);
        continue;
      }
      const v = obj[f.name];
      if (f.omitempty && this.isEmpty(v, f.type)) continue;
      if (f.omitzero && this.isZero(v, f.type)) continue;
      out.push(`${goString(f.name)}:${this.encode(v, f.type, `${path}.${f.name}`)}`);
    }
  }

  /** encoding/json's isEmptyValue: structs (Quantity, IntOrString and Time included) are never empty. */
  private isEmpty(v: unknown, type: string): boolean {
    if (v === undefined || v === null) return !this.isStruct(type);
    if (type.startsWith('[]')) return Array.isArray(v) && v.length === 0;
    if (type.startsWith('map:')) return isObject(v) && Object.keys(v).length === 0;
    if (type === 'string') return v === '';
    if (type === 'bool') return v === false;
    if (type === 'int') return v === 0;
    return false;
  }

  /** The Go zero value (reflect.Value.IsZero, or the type's IsZero method for Time). */
  private isZero(v: unknown, type: string): boolean {
    if (v === undefined || v === null) return true;
    if (type.startsWith('*') || type.startsWith('[]') || type.startsWith('map:')) return false;
    if (type === 'string' || type === 'time') return v === '';
    if (type === 'bool') return v === false;
    if (type === 'int' || type === 'intOrString') return v === 0;
    if (type === 'quantity') return goQuantityString(v as string | number) === '0';
    const fields = this.types[type];
    if (!fields || !isObject(v)) return false;
    return fields.every((f) => (f.inline ? this.isZero(v, f.type) : this.isZero(v[f.name], f.type)));
  }

  private isStruct(type: string): boolean {
    return !/^(\*|\[\]|map:)/.test(type) && !['string', 'bool', 'int', 'fieldsV1'].includes(type);
  }
}

/**
 * Go's json.Marshal of an untyped value (a `map[string]interface{}` decoded from JSON or YAML, a
 * `map[string]string`): object keys sorted bytewise at every level, strings HTML-escaped as Go writes them,
 * arrays in order. KubeRay encodes `runtimeEnvYAML` and `metadata` this way for the submitter's command line.
 */
export function goAnyJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goAnyJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort(bytewise)
      .map((k) => `${goString(k)}:${goAnyJson(value[k])}`)
      .join(',')}}`;
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value) ?? 'null';
}

/**
 * Go's json.Marshal of `value` decoded into the Go type `root` (one of the generator's roots, e.g.
 * `RayClusterSpec`). Throws, naming the field, on a value Go could not decode (a list where an object is
 * expected, a malformed quantity, ...).
 */
export function goJson(value: unknown, root: GoRootType, options: GoJsonOptions = {}): string {
  const types = options.types ?? generated;
  const type = types.roots[root];
  if (!type) throw new Error(`goJson: ${root} is not a root of the Go type description`);
  const append = options.unknownFields === 'append';
  let pair = encoders.get(types);
  if (!pair) {
    pair = [new Encoder(types.types, false), new Encoder(types.types, true)];
    encoders.set(types, pair);
  }
  return pair[append ? 1 : 0].encode(value, type, root);
}

/** Encoders are stateless apart from their memo of field names: one pair per type description. */
const encoders = new WeakMap<GoTypes, [Encoder, Encoder]>();
