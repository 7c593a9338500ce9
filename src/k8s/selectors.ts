/** A label selector in the structured form, as in a LabelSelector object. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    readonly values?: readonly string[];
  }[];
}

/** Renders a selector (string form passes through) to the `labelSelector` query string. */
export function formatLabelSelector(sel: LabelSelector | Readonly<Record<string, string>> | string): string {
  if (typeof sel === 'string') return sel;
  const structured =
    'matchLabels' in sel || 'matchExpressions' in sel
      ? (sel as LabelSelector)
      : { matchLabels: sel as Record<string, string> };
  const parts = Object.entries(structured.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of structured.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Renders `{ 'metadata.name': 'x' }` to a `fieldSelector` query string. */
export function formatFieldSelector(sel: Readonly<Record<string, string>> | string): string {
  if (typeof sel === 'string') return sel;
  return Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A selector made ready to test many objects: its `key = value` pairs and a test of a label set. */
interface LabelMatcher {
  /** The pairs the selector requires to be equal (a plain map, or `matchLabels`), in order. */
  readonly equalities: readonly (readonly [string, string])[];
  /** Whether the selector has no more than its equalities (no matchExpressions). */
  readonly equalitiesOnly: boolean;
  test(labels: Readonly<Record<string, string>> | undefined): boolean;
}

/** Reads a selector once, for testing many label sets with it (the cache's lists). */
export function labelMatcher(sel: LabelSelector | Readonly<Record<string, string>>): LabelMatcher {
  const structured =
    'matchLabels' in sel || 'matchExpressions' in sel
      ? (sel as LabelSelector)
      : { matchLabels: sel as Record<string, string> };
  const equalities = Object.entries(structured.matchLabels ?? {});
  const expressions = structured.matchExpressions ?? [];
  return {
    equalities,
    equalitiesOnly: expressions.length === 0,
    test(labels) {
      const l = labels ?? {};
      for (const [k, v] of equalities) if (l[k] !== v) return false;
      for (const e of expressions) {
        const has = Object.hasOwn(l, e.key);
        const inValues = has && (e.values ?? []).includes(l[e.key]!);
        if (e.operator === 'In' && !inValues) return false;
        if (e.operator === 'NotIn' && inValues) return false;
        if (e.operator === 'Exists' && !has) return false;
        if (e.operator === 'DoesNotExist' && has) return false;
      }
      return true;
    },
  };
}

/** Whether labels satisfy a selector (used by cache reads, matching the server's semantics). */
export function matchesLabels(
  labels: Readonly<Record<string, string>> | undefined,
  sel: LabelSelector | Readonly<Record<string, string>>,
): boolean {
  return labelMatcher(sel).test(labels);
}
