import { RayServiceConditionReasons, RayServiceConditionTypes } from '../../api/constants.ts';
import type { Condition, RayService, RayServiceStatuses } from '../../api/index.ts';
import { metaTime } from '../../lib/clock.ts';
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

/** One condition write: each of `types` to `status`, `reason` and `message`. */
type ConditionWrite = readonly [
  types: readonly string[],
  status: Condition['status'],
  reason: string,
  message: string,
];

/**
 * Applies condition writes in order as one status write does, each stamped with the RayService's generation
 * and the time `now`.
 */
function writeConditions(
  rs: RayService,
  now: number,
  conds: Condition[] | undefined,
  writes: readonly ConditionWrite[],
): Condition[] {
  const ts = metaTime(now);
  const gen = rs.metadata.generation;
  let out = conds ?? [];
  for (const [types, status, reason, message] of writes)
    for (const type of types)
      out = setCondition(
        out,
        { type, status, reason, message, ...(gen !== undefined ? { observedGeneration: gen } : {}) },
        ts,
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
  const conds = writeConditions(rs, now, rs.status?.conditions, [
    [
      [RayServiceConditionTypes.suspending],
      'True',
      RayServiceConditionReasons.suspendRequested,
      'Suspend requested',
    ],
    [others, 'False', RayServiceConditionReasons.suspendInProgress, 'RayService is suspending'],
  ]);
  return {
    ...rs.status,
    conditions: conds,
    observedGeneration: rs.metadata.generation,
    activeServiceStatus: {},
    pendingServiceStatus: {},
    numServeEndpoints: 0,
    serviceStatus: '',
  };
}

/** Status for `deleting`: still Suspending while anything remains, else Suspended. */
export function suspendProgressStatus(rs: RayService, remaining: number, now: number): RayServiceStatuses {
  const { suspending, suspended } = RayServiceConditionTypes;
  const { suspendInProgress, suspendComplete } = RayServiceConditionReasons;
  const conds = writeConditions(
    rs,
    now,
    rs.status?.conditions,
    remaining > 0
      ? [[[suspending], 'True', suspendInProgress, `Deleting ${remaining} owned resource(s)`]]
      : [
          [[suspending], 'False', suspendComplete, 'Suspend complete'],
          [[suspended], 'True', suspendComplete, 'RayService is suspended'],
          [others, 'False', suspendComplete, 'RayService is suspended'],
        ],
  );
  return { ...rs.status, conditions: conds, observedGeneration: rs.metadata.generation };
}

/** Status for `resume`: Suspended=False, Ready and UpgradeInProgress reset to Initializing (restarting the timeout). */
export function resumeStatus(rs: RayService, now: number): RayServiceStatuses {
  const { ready, upgradeInProgress, suspended } = RayServiceConditionTypes;
  // Ready and UpgradeInProgress are dropped first, so they are written anew (with a new transition time).
  const kept = removeCondition(removeCondition(rs.status?.conditions ?? [], ready), upgradeInProgress);
  const conds = writeConditions(rs, now, kept, [
    [[suspended], 'False', RayServiceConditionReasons.rayServiceResumed, 'RayService resumed'],
    [[ready, upgradeInProgress], 'False', RayServiceConditionReasons.initializing, initializingMessage],
  ]);
  return { ...rs.status, conditions: conds, observedGeneration: rs.metadata.generation };
}
