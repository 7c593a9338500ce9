import { RayServiceConditionReasons, RayServiceConditionTypes } from '../../api/constants.ts';
import type { Condition, RayService, RayServiceStatuses } from '../../api/index.ts';
import { isConditionTrue, removeCondition, setCondition } from '../common/conditions.ts';
import { initializingMessage } from './status.ts';

/**
 * Where a RayService stands in the suspend flow (rayjob-rayservice.md §4.9):
 * - `request`: suspend asked for, not yet Suspending;
 * - `deleting`: Suspending persisted: delete owned resources (ignores later spec.suspend changes);
 * - `suspended`: Suspended and still asked to be;
 * - `resume`: Suspended but spec.suspend is false;
 * - `none`: normal reconciliation.
 */
export type SuspendPhase = 'request' | 'deleting' | 'suspended' | 'resume' | 'none';

export function suspendPhase(rs: RayService): SuspendPhase {
  const conds = rs.status?.conditions;
  if (isConditionTrue(conds, RayServiceConditionTypes.suspending)) return 'deleting';
  if (isConditionTrue(conds, RayServiceConditionTypes.suspended))
    return rs.spec.suspend ? 'suspended' : 'resume';
  return rs.spec.suspend ? 'request' : 'none';
}

function setAll(
  conds: Condition[] | undefined,
  types: readonly string[],
  status: Condition['status'],
  r: string,
  message: string,
  now: string,
  gen: number | undefined,
): Condition[] {
  let out = conds ?? [];
  for (const type of types)
    out = setCondition(
      out,
      { type, status, reason: r, message, ...(gen !== undefined ? { observedGeneration: gen } : {}) },
      now,
    );
  return out;
}

const others = [
  RayServiceConditionTypes.ready,
  RayServiceConditionTypes.upgradeInProgress,
  RayServiceConditionTypes.rollbackInProgress,
] as const;

/** Status for `request`: Suspending=True, the others False, both sides cleared. */
export function suspendRequestedStatus(rs: RayService, now: number): RayServiceStatuses {
  const ts = new Date(now).toISOString();
  const gen = rs.metadata.generation;
  let conds = setAll(
    rs.status?.conditions,
    [RayServiceConditionTypes.suspending],
    'True',
    RayServiceConditionReasons.suspendRequested,
    'Suspend requested',
    ts,
    gen,
  );
  conds = setAll(
    conds,
    others,
    'False',
    RayServiceConditionReasons.suspendInProgress,
    'RayService is suspending',
    ts,
    gen,
  );
  return {
    ...rs.status,
    conditions: conds,
    observedGeneration: gen,
    activeServiceStatus: {},
    pendingServiceStatus: {},
    numServeEndpoints: 0,
    serviceStatus: '',
  };
}

/** Status for `deleting`: still Suspending while anything remains, else Suspended. */
export function suspendProgressStatus(rs: RayService, remaining: number, now: number): RayServiceStatuses {
  const ts = new Date(now).toISOString();
  const gen = rs.metadata.generation;
  let conds: Condition[];
  if (remaining > 0) {
    conds = setAll(
      rs.status?.conditions,
      [RayServiceConditionTypes.suspending],
      'True',
      RayServiceConditionReasons.suspendInProgress,
      `Deleting ${remaining} owned resource(s)`,
      ts,
      gen,
    );
  } else {
    conds = setAll(
      rs.status?.conditions,
      [RayServiceConditionTypes.suspending],
      'False',
      RayServiceConditionReasons.suspendComplete,
      'Suspend complete',
      ts,
      gen,
    );
    conds = setAll(
      conds,
      [RayServiceConditionTypes.suspended],
      'True',
      RayServiceConditionReasons.suspendComplete,
      'RayService is suspended',
      ts,
      gen,
    );
    conds = setAll(
      conds,
      others,
      'False',
      RayServiceConditionReasons.suspendComplete,
      'RayService is suspended',
      ts,
      gen,
    );
  }
  return { ...rs.status, conditions: conds, observedGeneration: gen };
}

/** Status for `resume`: Suspended=False, Ready and UpgradeInProgress reset to Initializing (restarting the timeout). */
export function resumeStatus(rs: RayService, now: number): RayServiceStatuses {
  const ts = new Date(now).toISOString();
  const gen = rs.metadata.generation;
  let conds = setAll(
    rs.status?.conditions,
    [RayServiceConditionTypes.suspended],
    'False',
    RayServiceConditionReasons.rayServiceResumed,
    'RayService resumed',
    ts,
    gen,
  );
  conds = removeCondition(
    removeCondition(conds, RayServiceConditionTypes.ready),
    RayServiceConditionTypes.upgradeInProgress,
  );
  conds = setAll(
    conds,
    [RayServiceConditionTypes.ready, RayServiceConditionTypes.upgradeInProgress],
    'False',
    RayServiceConditionReasons.initializing,
    initializingMessage,
    ts,
    gen,
  );
  return { ...rs.status, conditions: conds, observedGeneration: gen };
}
