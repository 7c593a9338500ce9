import type { RayServiceStatus } from '../../api/index.ts';

/** The incremental-upgrade options with their defaults applied (validation guarantees the required ones). */
export interface IncrementalOptions {
  readonly maxSurgePercent: number;
  readonly stepSizePercent: number;
  readonly intervalSeconds: number;
}

interface Capacities {
  readonly activeCapacity: number;
  readonly pendingCapacity: number;
  readonly activeTraffic: number;
  readonly pendingTraffic: number;
}

/** Reads the capacities and traffic of both sides; an unset active side counts as 100, pending as 0. */
export function capacities(
  active: RayServiceStatus | undefined,
  pending: RayServiceStatus | undefined,
): Capacities {
  return {
    activeCapacity: active?.targetCapacity ?? 100,
    pendingCapacity: pending?.targetCapacity ?? 0,
    activeTraffic: active?.trafficRoutedPercent ?? 100,
    pendingTraffic: pending?.trafficRoutedPercent ?? 0,
  };
}

const intervalPassed = (last: string | undefined, intervalSeconds: number, now: number) =>
  last === undefined || now - Date.parse(last) >= intervalSeconds * 1000;

/**
 * One traffic step of the HTTPRoute weights. Normal upgrade: move `step` percent
 * to the pending cluster (capped by its target capacity) once per interval, only while it is Serve-ready.
 * Rollback: move traffic back to the active cluster, whether or not the pending one is ready.
 */
export function trafficStep(
  active: RayServiceStatus | undefined,
  pending: RayServiceStatus | undefined,
  o: Pick<IncrementalOptions, 'stepSizePercent' | 'intervalSeconds'>,
  state: { readonly pendingReady: boolean; readonly rollback: boolean; readonly now: number },
): { active: number; pending: number } {
  const c = capacities(active, pending);
  let a = c.activeTraffic;
  let p = c.pendingTraffic;
  if (!state.rollback) {
    if (
      p !== c.pendingCapacity &&
      state.pendingReady &&
      intervalPassed(pending?.lastTrafficMigratedTime, o.intervalSeconds, state.now)
    ) {
      p = Math.min(100, p + o.stepSizePercent, c.pendingCapacity);
      a = 100 - p;
    }
  } else if (
    a !== c.activeCapacity &&
    intervalPassed(active?.lastTrafficMigratedTime, o.intervalSeconds, state.now)
  ) {
    a = Math.min(100, a + o.stepSizePercent, c.activeCapacity);
    p = 100 - a;
  }
  return { active: a, pending: p };
}

type CapacityStep =
  | { readonly kind: 'done' }
  | { readonly kind: 'wait' }
  | { readonly kind: 'set'; readonly side: 'active' | 'pending'; readonly value: number };

/**
 * The next `target_capacity` change. Done when active=0 and pending=100 (normal). Each change waits until
 * the traffic has caught up with the side that changed last; then grows pending (or, in a rollback, active)
 * while the sum is at most 100, else shrinks the other side, by maxSurge.
 */
export function capacityStep(c: Capacities, maxSurgePercent: number, rollback: boolean): CapacityStep {
  const sum = c.activeCapacity + c.pendingCapacity;
  if (!rollback) {
    if (c.activeCapacity === 0 && c.pendingCapacity === 100) return { kind: 'done' };
    if (c.pendingCapacity !== c.pendingTraffic) return { kind: 'wait' };
    if (sum <= 100)
      return { kind: 'set', side: 'pending', value: Math.min(100, c.pendingCapacity + maxSurgePercent) };
    return { kind: 'set', side: 'active', value: Math.max(0, c.activeCapacity - maxSurgePercent) };
  }
  if (c.activeCapacity !== c.activeTraffic) return { kind: 'wait' };
  if (sum > 100)
    return { kind: 'set', side: 'pending', value: Math.max(0, c.pendingCapacity - maxSurgePercent) };
  if (c.activeCapacity === 100) return { kind: 'wait' };
  return { kind: 'set', side: 'active', value: Math.min(100, c.activeCapacity + maxSurgePercent) };
}

/** A rollback is complete when active holds all capacity and traffic and pending holds none (or is not ready). */
export function rollbackComplete(c: Capacities, pendingHeadReady: boolean): boolean {
  return (
    c.activeCapacity === 100 &&
    c.activeTraffic === 100 &&
    (!pendingHeadReady || (c.pendingCapacity === 0 && c.pendingTraffic === 0))
  );
}

/** The upgrade is complete (promote the pending cluster) when active capacity is 0 and all traffic is on pending. */
export function incrementalUpgradeComplete(
  active: RayServiceStatus | undefined,
  pending: RayServiceStatus | undefined,
): boolean {
  return (active?.targetCapacity ?? 100) === 0 && (pending?.trafficRoutedPercent ?? 0) === 100;
}

/**
 * Compares the goal hash with the clusters'. Reverting to the active spec, or a third spec, starts a
 * rollback; matching the pending spec cancels one.
 */
export function rollbackDecision(goalHash: string, pendingHash: string | undefined): 'rollback' | 'continue' {
  if (goalHash === pendingHash) return 'continue';
  return 'rollback';
}
