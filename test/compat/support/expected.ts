import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';
import type { Difference } from './compare.ts';

/**
 * One reviewed difference (test/compat/expected-differences.yaml). `sample`, `object` and `field` are
 * patterns where `*` matches any run of characters (`sample` may also be a list of patterns); `ours` and
 * `kuberay`, when given, must equal the values (a string with `*` is a pattern over the value, JSON-encoded
 * unless it is a string). `why` is required. `intermittent: true` marks a difference that shows in some runs
 * only (a race, said in `why`): such an entry is never reported as no longer occurring.
 */
export interface ExpectedDifference {
  readonly sample: string | readonly string[];
  readonly object: string;
  readonly field: string;
  readonly ours?: unknown;
  readonly kuberay?: unknown;
  readonly why: string;
  readonly intermittent?: boolean;
}

export class ExpectedFileError extends Error {}

export function loadExpected(file: string): ExpectedDifference[] {
  const doc = parse(readFileSync(file, 'utf8')) as unknown;
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc))
    throw new ExpectedFileError(`${file}: the top level must be a list of differences`);
  return doc.map((e, i) => {
    const where = `${file}: entry ${i + 1}`;
    if (!e || typeof e !== 'object') throw new ExpectedFileError(`${where}: must be a mapping`);
    for (const k of ['object', 'field', 'why'] as const)
      if (typeof e[k] !== 'string') throw new ExpectedFileError(`${where}: '${k}' must be a string`);
    const okSample =
      typeof e.sample === 'string' ||
      (Array.isArray(e.sample) && e.sample.every((s: unknown) => typeof s === 'string'));
    if (!okSample) throw new ExpectedFileError(`${where}: 'sample' must be a string or a list of strings`);
    if (!e.why.trim()) throw new ExpectedFileError(`${where}: 'why' must say why`);
    return e as ExpectedDifference;
  });
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s\\S]*')}$`,
  );
const matchText = (pattern: string, text: string) => glob(pattern).test(text);

function matchValue(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && expected.includes('*'))
    return matchText(expected, typeof actual === 'string' ? actual : JSON.stringify(actual));
  return isDeepStrictEqual(expected, actual);
}

export function matches(e: ExpectedDifference, d: Difference): boolean {
  const samples = typeof e.sample === 'string' ? [e.sample] : e.sample;
  return (
    samples.some((s) => matchText(s, d.sample)) &&
    matchText(e.object, d.object) &&
    matchText(e.field, d.field) &&
    (!('ours' in e) || matchValue(e.ours, d.ours)) &&
    (!('kuberay' in e) || matchValue(e.kuberay, d.kuberay))
  );
}

export interface Verdict {
  /** Differences no entry explains. */
  readonly unexpected: Difference[];
  /** Entries that explain no current difference. */
  readonly stale: ExpectedDifference[];
  /** Entries that explain at least one, with how many. */
  readonly used: Map<ExpectedDifference, number>;
}

/**
 * Checks the differences against the reviewed list. `ranSamples` limits staleness to entries that could
 * match a sample of this run (a run of a subset must not call the others' entries stale).
 */
export function judge(
  expected: readonly ExpectedDifference[],
  diffs: readonly Difference[],
  ranSamples: readonly string[],
): Verdict {
  const used = new Map<ExpectedDifference, number>();
  const unexpected: Difference[] = [];
  for (const d of diffs) {
    const e = expected.find((x) => matches(x, d));
    if (e) used.set(e, (used.get(e) ?? 0) + 1);
    else unexpected.push(d);
  }
  const relevant = (e: ExpectedDifference) =>
    (typeof e.sample === 'string' ? [e.sample] : e.sample).some((s) =>
      ranSamples.some((r) => matchText(s, r)),
    );
  const stale = expected.filter((e) => !used.has(e) && !e.intermittent && relevant(e));
  return { unexpected, stale, used };
}

/**
 * The current differences in the file's format: the reviewed entries still in use, as written, then every
 * unexplained difference grouped by object, field and values across samples, with `why: TODO`.
 */
export function formatCurrent(expected: readonly ExpectedDifference[], verdict: Verdict): string {
  const kept = expected.filter((e) => verdict.used.has(e) || e.intermittent);
  const groups = new Map<string, { samples: string[]; d: Difference }>();
  for (const d of verdict.unexpected) {
    const key = JSON.stringify([d.object, d.field, d.ours, d.kuberay]);
    const g = groups.get(key) ?? { samples: [], d };
    g.samples.push(d.sample);
    groups.set(key, g);
  }
  const fresh = [...groups.values()].map(({ samples, d }) => ({
    sample: samples.length === 1 ? samples[0] : samples.sort(),
    object: d.object,
    field: d.field,
    ours: d.ours,
    kuberay: d.kuberay,
    why: 'TODO',
  }));
  return stringify([...kept, ...fresh], { lineWidth: 0 });
}
