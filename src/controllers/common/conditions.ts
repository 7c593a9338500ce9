/**
 * Status conditions (metav1.Condition) for every controller, with apimachinery's `meta.SetStatusCondition`
 * rules: one condition per type; `lastTransitionTime` changes only when the status changes. All return new
 * lists and never change their input (status is computed on a copy).
 */

/** The fields of a condition the helpers read; each kind's own Condition type satisfies it. */
export interface StatusCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** Any condition list: status conditions, and also Pod or Job conditions (whose reason is optional). */
interface Typed {
  readonly type: string;
  readonly status?: string;
}

export function findCondition<C extends Typed>(list: readonly C[] | undefined, type: string): C | undefined {
  return list?.find((c) => c.type === type);
}

export function isConditionTrue(list: readonly Typed[] | undefined, type: string): boolean {
  return findCondition(list, type)?.status === 'True';
}

/**
 * Adds the condition, or replaces the one of its type (status, reason, message and observedGeneration from
 * `next`). `lastTransitionTime` is `now` for a new condition or a changed status, else the old one.
 */
export function setCondition<C extends StatusCondition>(
  list: readonly C[] | undefined,
  next: Omit<C, 'lastTransitionTime'>,
  now: string,
): C[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? out[i] : undefined;
  const since = old && old.status === next.status ? (old.lastTransitionTime ?? now) : now;
  const cond = { ...next, lastTransitionTime: since } as C;
  if (i >= 0) out[i] = cond;
  else out.push(cond);
  return out;
}

export function removeCondition<C extends StatusCondition>(
  list: readonly C[] | undefined,
  type: string,
): C[] {
  return (list ?? []).filter((c) => c.type !== type);
}

/** Equal by type, status, reason, message, lastTransitionTime and observedGeneration, in any order. */
export function conditionsEqual(
  a: readonly StatusCondition[] | undefined,
  b: readonly StatusCondition[] | undefined,
): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  return x.every((c) => {
    const d = findCondition(y, c.type);
    return (
      !!d &&
      d.status === c.status &&
      d.reason === c.reason &&
      d.message === c.message &&
      d.lastTransitionTime === c.lastTransitionTime &&
      d.observedGeneration === c.observedGeneration
    );
  });
}
