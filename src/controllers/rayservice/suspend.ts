import { RayServiceConditionReasons, RayServiceConditionTypes } from '../../api/constants.ts';
import type { Condition, RayService, RayServiceStatuses } from '../../api/index.ts';
import { isConditionTrue, removeCondition, setCondition } from '../common/conditions.ts';
import { initializingMessage } from './status.ts';

/**
 * Where a RayService stands in the suspend flow:
 * - `request`: suspend asked for, not yet Suspending;
 * - `deleting`: Suspending persisted: delete owned resources (ignores later spec.suspend changes);
 * - `suspended`: Suspended and still asked to be;
 * - `resume`: Suspended but spec.suspend is false;
 * - `none`: normal reconciliation.
 */
type SuspendPhase = 'request' | 'deleting' | 'suspended' | 'resume' | 'none';

export function suspendPhase(rs: RayService): SuspendPhase {
  const conds = rs.status?.conditions;
  if (isConditionTrue(conds, RayServiceConditionTypes.suspending)) return 'deleting';
  if (isConditionTrue(conds, RayServiceConditionTypes.suspended))
    return rs.spec.suspend ? 'suspended' : 'resume';
  return rs.spec.suspend ? 'request' : 'none';
}

/**
 * Sets conditions as one status write does: each of `types` to `status`, `reason` and `message`, stamped with
 * the RayService's generation and the time `now`.
 */
function conditionSetter(rs: RayService, now: number) {
  const ts = new Date(now).toISOString();
  const gen = rs.metadata.generation;
  return (
    conds: Condition[] | undefined,
    types: readonly string[],
    status: Condition['status'],
    reason: string,
    message: string,
  ): Condition[] => {
    let out = conds ?? [];
    for (const type of types)
      out = setCondition(
        out,
        { type, status, reason, message, ...(gen !== undefined ? { observedGeneration: gen } : {}) },
        ts,
      );
    return out;
  };
}

const others = [
  RayServiceConditionTypes.ready,
  RayServiceConditionTypes.upgradeInProgress,
  RayServiceConditionTypes.rollbackInProgress,
] as const;

/** Status for `request`: Suspending=True, the others False, both sides cleared. */
export function suspendRequestedStatus(rs: RayService, now: number): RayServiceStatuses {
  const set = conditionSetter(rs, now);
  const gen = rs.metadata.generation;
  let conds = set(
    rs.status?.conditions,
    [RayServiceConditionTypes.suspending],
    'True',
    RayServiceConditionReasons.suspendRequested,
    'Suspend requested',
  );
  conds = set(
    conds,
    others,
    'False',
    RayServiceConditionReasons.suspendInProgress,
    'RayService is suspending',
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
  const set = conditionSetter(rs, now);
  const gen = rs.metadata.generation;
  let conds: Condition[];
  if (remaining > 0) {
    conds = set(
      rs.status?.conditions,
      [RayServiceConditionTypes.suspending],
      'True',
      RayServiceConditionReasons.suspendInProgress,
      `Deleting ${remaining} owned resource(s)`,
    );
  } else {
    conds = set(
      rs.status?.conditions,
      [RayServiceConditionTypes.suspending],
      'False',
      RayServiceConditionReasons.suspendComplete,
      'Suspend complete',
    );
    conds = set(
      conds,
      [RayServiceConditionTypes.suspended],
      'True',
      RayServiceConditionReasons.suspendComplete,
      'RayService is suspended',
    );
    conds = set(
      conds,
      others,
      'False',
      RayServiceConditionReasons.suspendComplete,
      'RayService is suspended',
    );
  }
  return { ...rs.status, conditions: conds, observedGeneration: gen };
}

/** Status for `resume`: Suspended=False, Ready and UpgradeInProgress reset to Initializing (restarting the timeout). */
export function resumeStatus(rs: RayService, now: number): RayServiceStatuses {
  const set = conditionSetter(rs, now);
  const gen = rs.metadata.generation;
  let conds = set(
    rs.status?.conditions,
    [RayServiceConditionTypes.suspended],
    'False',
    RayServiceConditionReasons.rayServiceResumed,
    'RayService resumed',
  );
  conds = removeCondition(
    removeCondition(conds, RayServiceConditionTypes.ready),
    RayServiceConditionTypes.upgradeInProgress,
  );
  conds = set(
    conds,
    [RayServiceConditionTypes.ready, RayServiceConditionTypes.upgradeInProgress],
    'False',
    RayServiceConditionReasons.initializing,
    initializingMessage,
  );
  return { ...rs.status, conditions: conds, observedGeneration: gen };
}
