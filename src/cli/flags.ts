/**
 * Command-line flags with pflag's rules (the parser cobra and kubectl use): `--name value`, `--name=value`,
 * `-n value`, `-nvalue`, bundled short booleans (`-yA`), `--` ends the flags, a flag may appear anywhere
 * among the positional arguments, and a non-boolean flag takes the next argument as its value even when it
 * starts with `-` (so `--replicas -1` reads -1). Pure: no I/O.
 */
import { KuberayError } from '../lib/errors.ts';

/** `list` is pflag's stringArray: each occurrence adds one value. */
type FlagType = 'string' | 'bool' | 'int' | 'float' | 'duration' | 'map' | 'list';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: FlagType;
  /** The default (shown in help unless empty/false/0 for strings, bools and maps). */
  readonly default?: string | number | boolean;
  readonly usage: string;
  /** Help shows `--name TYPE` with this word instead of the type name. */
  readonly valueName?: string;
}

type FlagValue = string | number | boolean | Record<string, string> | readonly string[];

export interface ParsedArgs {
  /** Every flag's value: the default when not given (maps default to {}). */
  readonly flags: Record<string, FlagValue>;
  /** The names of the flags given on the command line. */
  readonly set: ReadonlySet<string>;
  readonly positional: readonly string[];
  /** Index in `positional` where the arguments after `--` start, or -1 (cobra's ArgsLenAtDash). */
  readonly dashAt: number;
}

/** Bad usage: an unknown flag, a missing or malformed value, the wrong number of arguments. */
export class UsageError extends KuberayError {}

const label = (s: FlagSpec) => (s.short ? `-${s.short}, --${s.name}` : `--${s.name}`);

/** Parses a Go duration (`300s`, `5m`, `1h30m`, `1.5h`, `0`) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (!body) return undefined;
  re.lastIndex = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    total += Number(m[1]) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === body.length && pos > 0 ? sign * total : undefined;
}

/** Formats milliseconds as Go's time.Duration.String() does for whole seconds (`5m0s`, `1h0m0s`, `30s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${m}m${sec}s`;
  if (m > 0) return `${m}m${sec}s`;
  return `${sec}s`;
}

/** `k=v,k2=v2` (pflag StringToString). */
function parseMap(spec: FlagSpec, text: string, into: Record<string, string>): void {
  if (text === '') return;
  for (const pair of text.split(',')) {
    const i = pair.indexOf('=');
    if (i <= 0)
      throw new UsageError(
        `invalid argument "${text}" for "${label(spec)}" flag: ${pair} must be formatted as key=value`,
      );
    into[pair.slice(0, i)] = pair.slice(i + 1);
  }
}

function convert(spec: FlagSpec, text: string, previous: FlagValue | undefined): FlagValue {
  const bad = (why: string) => new UsageError(`invalid argument "${text}" for "${label(spec)}" flag: ${why}`);
  switch (spec.type) {
    case 'string':
      return text;
    case 'bool':
      if (['true', '1', 't', 'T', 'TRUE', 'True'].includes(text)) return true;
      if (['false', '0', 'f', 'F', 'FALSE', 'False'].includes(text)) return false;
      throw bad('not a boolean');
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) throw bad('not an integer');
      const n = Number(text);
      if (n > 2_147_483_647 || n < -2_147_483_648) throw bad('value out of range');
      return n;
    }
    case 'float': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw bad('not a number');
      return n;
    }
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined) throw bad('not a duration (e.g. 30s, 5m, 1h)');
      return ms;
    }
    case 'list':
      return [...((previous as readonly string[] | undefined) ?? []), text];
    case 'map': {
      const out = { ...((previous as Record<string, string> | undefined) ?? {}) };
      parseMap(spec, text, out);
      return out;
    }
  }
}

function defaultOf(spec: FlagSpec): FlagValue {
  if (spec.type === 'map') return {};
  if (spec.type === 'list') return [];
  if (spec.default !== undefined) return spec.default;
  if (spec.type === 'bool') return false;
  if (spec.type === 'string') return '';
  return 0;
}

/** Parses `argv` against `specs`. Throws UsageError with pflag's wording on bad input. */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags: Record<string, FlagValue> = {};
  for (const s of specs) flags[s.name] = defaultOf(s);
  const set = new Set<string>();
  const positional: string[] = [];
  let dashAt = -1;
  const assign = (spec: FlagSpec, text: string) => {
    flags[spec.name] = convert(spec, text, set.has(spec.name) ? flags[spec.name] : undefined);
    set.add(spec.name);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      dashAt = positional.length;
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      if (eq >= 0) assign(spec, a.slice(eq + 1));
      else if (spec.type === 'bool') assign(spec, 'true');
      else {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
        assign(spec, argv[++i]!);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = byShort.get(c);
        if (!spec) throw new UsageError(`unknown shorthand flag: '${c}' in ${a}`);
        if (spec.type === 'bool') {
          if (a[j + 1] === '=') {
            assign(spec, a.slice(j + 2));
            break;
          }
          assign(spec, 'true');
          continue;
        }
        const rest = a.slice(j + 1).replace(/^=/, '');
        if (rest) assign(spec, rest);
        else {
          if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: '${c}' in -${c}`);
          assign(spec, argv[++i]!);
        }
        break;
      }
      continue;
    }
    positional.push(a);
  }
  return { flags, set, positional, dashAt };
}

export const str = (p: ParsedArgs, name: string): string => String(p.flags[name] ?? '');
export const num = (p: ParsedArgs, name: string): number => Number(p.flags[name] ?? 0);
export const bool = (p: ParsedArgs, name: string): boolean => p.flags[name] === true;
export const list = (p: ParsedArgs, name: string): readonly string[] =>
  (p.flags[name] as readonly string[] | undefined) ?? [];
export const map = (p: ParsedArgs, name: string): Record<string, string> =>
  (p.flags[name] as Record<string, string> | undefined) ?? {};
