import type { Condition } from '../../builders/rayservice/types.ts';

export type ConditionStatus = Condition['status'];

export function findCondition(conds: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conds?.find((c) => c.type === type);
}

export function isConditionTrue(conds: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conds, type)?.status === 'True';
}

/**
 * meta.SetStatusCondition: adds or replaces the condition of that type; lastTransitionTime changes only when
 * the status changes. Returns a new list.
 */
export function setCondition(
  conds: readonly Condition[] | undefined,
  next: {
    type: string;
    status: ConditionStatus;
    reason: string;
    message: string;
    observedGeneration?: number;
  },
  now: string,
): Condition[] {
  const list = [...(conds ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? list[i] : undefined;
  const cond: Condition = {
    type: next.type,
    status: next.status,
    reason: next.reason,
    message: next.message,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now,
    ...(next.observedGeneration !== undefined ? { observedGeneration: next.observedGeneration } : {}),
  };
  if (i >= 0) list[i] = cond;
  else list.push(cond);
  return list;
}

export function removeCondition(conds: readonly Condition[] | undefined, type: string): Condition[] {
  return (conds ?? []).filter((c) => c.type !== type);
}

/** Conditions equal by type, status, reason, message, lastTransitionTime and observedGeneration (order-free). */
export function conditionsEqual(
  a: readonly Condition[] | undefined,
  b: readonly Condition[] | undefined,
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

/**
 * Parses `ray.io/initializing-timeout`: a positive Go duration (`30m`, `1h30m`, `90s`) or a positive integer
 * number of seconds. Returns milliseconds, or an Error naming the annotation and the reason.
 */
export function parseInitializingTimeout(value: string): number | Error {
  const bad = () =>
    new Error(
      `annotation ray.io/initializing-timeout must be a positive duration (e.g. 30m, 1h) or a positive integer number of seconds, got "${value}"`,
    );
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const s = Number.parseInt(v, 10);
    return s > 0 ? s * 1000 : bad();
  }
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
  if (!v) return bad();
  let total = 0;
  let pos = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number.parseFloat(m[1]!) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== v.length || total <= 0) return bad();
  return total;
}
