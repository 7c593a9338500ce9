import { type Plural, type RayObject, stateOf } from './kinds.ts';

/** Counts of objects by state, states sorted by count (then name), with the total. */
export interface StateSummary {
  readonly total: number;
  readonly byState: readonly { readonly state: string; readonly count: number }[];
}

export function summarize(plural: Plural, objs: readonly RayObject[]): StateSummary {
  const counts = new Map<string, number>();
  for (const o of objs) {
    const s = stateOf(plural, o);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const byState = [...counts]
    .map(([state, count]) => ({ state, count }))
    .sort((a, b) => b.count - a.count || a.state.localeCompare(b.state));
  return { total: objs.length, byState };
}

/** The namespaces present in a set of objects, sorted. */
export function namespacesOf(objs: readonly RayObject[]): string[] {
  return [...new Set(objs.map((o) => o.metadata.namespace ?? ''))].filter(Boolean).sort();
}
