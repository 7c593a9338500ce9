import type { Condition } from '../../builders/raycluster/index.ts';

/** meta.SetStatusCondition: lastTransitionTime changes only when the status changes. Returns a new list. */
export function setCondition(
  list: readonly Condition[] | undefined,
  cond: Omit<Condition, 'lastTransitionTime'>,
  now: string,
): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((c) => c.type === cond.type);
  if (i < 0) {
    out.push({ ...cond, lastTransitionTime: now });
    return out;
  }
  const old = out[i]!;
  out[i] = { ...old, ...cond, lastTransitionTime: old.status === cond.status ? old.lastTransitionTime : now };
  return out;
}

export function removeCondition(list: readonly Condition[] | undefined, type: string): Condition[] {
  return (list ?? []).filter((c) => c.type !== type);
}

export function findCondition(list: readonly Condition[] | undefined, type: string): Condition | undefined {
  return (list ?? []).find((c) => c.type === type);
}

export function isConditionTrue(list: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(list, type)?.status === 'True';
}
