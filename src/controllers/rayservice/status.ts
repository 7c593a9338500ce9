import { Annotations, RayServiceConditionReasons, RayServiceConditionTypes } from '../../api/constants.ts';
import type {
  AppStatus,
  Condition,
  RayService,
  RayServiceStatus,
  RayServiceStatuses,
} from '../../api/index.ts';
import { metaTime } from '../../lib/clock.ts';
import { conditionsEqual, findCondition, setCondition } from '../common/conditions.ts';
import { parseInitializingTimeout } from './initializing-timeout.ts';
import { initializingTimeoutConditionMessage } from './messages.ts';

export const initializingMessage = 'RayService is initializing';

interface ConditionsResult {
  readonly status: RayServiceStatuses;
  /** True when this pass hit the initializing timeout (emit RayServiceInitializingTimeout). */
  readonly timedOut: boolean;
  /** With timedOut: the configured timeout and the time spent initializing, for the event's text. */
  readonly timeout?: { readonly limitMs: number; readonly spentMs: number };
}

/** Sets Ready and UpgradeInProgress from the status; pure. */
export function calculateConditions(
  rs: RayService,
  status: RayServiceStatuses,
  now: number,
): ConditionsResult {
  const ts = metaTime(now);
  const gen = status.observedGeneration;
  const set = (
    conds: Condition[] | undefined,
    type: string,
    s: Condition['status'],
    r: string,
    message: string,
  ) =>
    setCondition(
      conds,
      { type, status: s, reason: r, message, ...(gen !== undefined ? { observedGeneration: gen } : {}) },
      ts,
    );
  let conds = status.conditions;
  let out: RayServiceStatuses = { ...status };
  let timedOut = false;
  let timeout: { limitMs: number; spentMs: number } | undefined;
  // This pass validated the spec, so a ValidationFailed left by an earlier one is over (nothing else moves Ready
  // off it). With no active cluster (a spec invalid from the start) the RayService starts over from Initializing,
  // so its initializing timeout counts from now; with one, the serve endpoints decide Ready below.
  const failed =
    findCondition(conds, RayServiceConditionTypes.ready)?.reason ===
    RayServiceConditionReasons.validationFailed;
  const hasActive = !!status.activeServiceStatus?.rayClusterName;
  if (failed && !hasActive)
    conds = conds?.filter(
      (c) =>
        c.type !== RayServiceConditionTypes.ready && c.type !== RayServiceConditionTypes.upgradeInProgress,
    );
  for (const type of [RayServiceConditionTypes.ready, RayServiceConditionTypes.upgradeInProgress])
    if (!findCondition(conds, type))
      conds = set(conds, type, 'False', RayServiceConditionReasons.initializing, initializingMessage);
  const ready = findCondition(conds, RayServiceConditionTypes.ready);
  if ((status.numServeEndpoints ?? 0) > 0) {
    conds = set(
      conds,
      RayServiceConditionTypes.ready,
      'True',
      RayServiceConditionReasons.nonZeroServeEndpoints,
      'Number of serve endpoints is greater than 0',
    );
  } else if (ready?.status === 'True' || (failed && hasActive)) {
    conds = set(
      conds,
      RayServiceConditionTypes.ready,
      'False',
      RayServiceConditionReasons.zeroServeEndpoints,
      'Number of serve endpoints dropped to 0',
    );
  } else if (ready?.status === 'False' && ready.reason === RayServiceConditionReasons.initializing) {
    const raw = rs.metadata.annotations?.[Annotations.initializingTimeout];
    const limit = raw === undefined ? undefined : parseInitializingTimeout(raw);
    const spentMs = now - Date.parse(ready.lastTransitionTime);
    if (typeof limit === 'number' && spentMs >= limit) {
      timedOut = true;
      timeout = { limitMs: limit, spentMs };
      // As KubeRay: only the cluster names go (the cleanup deletes those clusters); the app statuses that tell
      // why it never became ready stay in the final status.
      out = {
        ...out,
        activeServiceStatus: withoutClusterName(out.activeServiceStatus),
        pendingServiceStatus: withoutClusterName(out.pendingServiceStatus),
      };
      conds = set(
        conds,
        RayServiceConditionTypes.ready,
        'False',
        RayServiceConditionReasons.initializingTimeout,
        `${initializingTimeoutConditionMessage(limit, spentMs)}. Delete and recreate the RayService to retry`,
      );
    }
  }
  const activeName = out.activeServiceStatus?.rayClusterName;
  const pendingName = out.pendingServiceStatus?.rayClusterName;
  if (activeName && pendingName) {
    conds = set(
      conds,
      RayServiceConditionTypes.upgradeInProgress,
      'True',
      RayServiceConditionReasons.bothActivePendingClustersExist,
      'Both active and pending Ray clusters exist',
    );
  } else if (activeName) {
    conds = set(
      conds,
      RayServiceConditionTypes.upgradeInProgress,
      'False',
      RayServiceConditionReasons.noPendingCluster,
      'Active Ray cluster exists and no pending Ray cluster',
    );
  } else {
    const cur = findCondition(conds, RayServiceConditionTypes.upgradeInProgress)?.reason;
    if (
      cur !== RayServiceConditionReasons.initializing &&
      cur !== RayServiceConditionReasons.initializingTimeout &&
      !timedOut
    )
      conds = set(
        conds,
        RayServiceConditionTypes.upgradeInProgress,
        'Unknown',
        RayServiceConditionReasons.noActiveCluster,
        'No active Ray cluster exists, and the RayService is not initializing. Please open a GitHub issue in the KubeRay repository.',
      );
  }
  const readyNow = findCondition(conds, RayServiceConditionTypes.ready)?.status === 'True';
  return {
    status: { ...out, conditions: conds, serviceStatus: readyNow ? 'Running' : '' },
    timedOut,
    ...(timeout ? { timeout } : {}),
  };
}

function withoutClusterName(side: RayServiceStatus | undefined): RayServiceStatus {
  const { rayClusterName: _, ...rest } = side ?? {};
  return rest;
}

/** Ready=False with reason InitializingTimeout: terminal until the object is recreated. */
export function isInitializingTimedOut(status: RayServiceStatuses | undefined): boolean {
  const ready = findCondition(status?.conditions, RayServiceConditionTypes.ready);
  return ready?.status === 'False' && ready.reason === RayServiceConditionReasons.initializingTimeout;
}

interface PromotionInput {
  /** The cluster the head Service selects (undefined when the Service does not exist). */
  readonly headTarget: string | undefined;
  readonly serveTarget: string | undefined;
}

/**
 * Blue/green promotion: when both Services point at a cluster other than the active one (it must be the
 * pending one), the pending side becomes active. Services out of sync or pointing at an unknown cluster is an
 * invariant violation: it throws (KubeRay panics) so the pass fails loudly and retries.
 */
export function promote(status: RayServiceStatuses, input: PromotionInput): RayServiceStatuses {
  if (input.headTarget === undefined || input.serveTarget === undefined) return status;
  const active = status.activeServiceStatus?.rayClusterName;
  const pending = status.pendingServiceStatus?.rayClusterName;
  if (input.headTarget !== input.serveTarget)
    throw new Error(
      `head Service points at cluster "${input.headTarget}" but serve Service points at "${input.serveTarget}"`,
    );
  if (input.headTarget !== active && input.headTarget !== pending)
    throw new Error(`Services point at cluster "${input.headTarget}", which is neither active nor pending`);
  if (input.headTarget === active) return status;
  return { ...status, activeServiceStatus: { ...status.pendingServiceStatus }, pendingServiceStatus: {} };
}

function appsEqual(
  a: Record<string, AppStatus> | undefined,
  b: Record<string, AppStatus> | undefined,
): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  return kx.every((k) => {
    const p = x[k]!;
    const q = y[k];
    if (!q || (p.status ?? '') !== (q.status ?? '') || (p.message ?? '') !== (q.message ?? '')) return false;
    const dx = p.serveDeploymentStatuses ?? {};
    const dy = q.serveDeploymentStatuses ?? {};
    const dk = Object.keys(dx);
    if (dk.length !== Object.keys(dy).length) return false;
    return dk.every(
      (d) =>
        (dx[d]!.status ?? '') === (dy[d]?.status ?? '') && (dx[d]!.message ?? '') === (dy[d]?.message ?? ''),
    );
  });
}

function sideEqual(a: RayServiceStatus | undefined, b: RayServiceStatus | undefined): boolean {
  return (
    (a?.rayClusterName ?? '') === (b?.rayClusterName ?? '') &&
    appsEqual(a?.applicationStatuses, b?.applicationStatuses) &&
    a?.targetCapacity === b?.targetCapacity &&
    a?.trafficRoutedPercent === b?.trafficRoutedPercent &&
    a?.lastTrafficMigratedTime === b?.lastTrafficMigratedTime
  );
}

/**
 * The status write rule: write only when serviceStatus, numServeEndpoints, conditions, observedGeneration or a
 * side's cluster name / app statuses / incremental fields (compared by value) differ. rayClusterStatus alone does
 * not cause a write.
 */
export function statusChanged(old: RayServiceStatuses | undefined, next: RayServiceStatuses): boolean {
  return (
    (old?.serviceStatus ?? '') !== (next.serviceStatus ?? '') ||
    (old?.numServeEndpoints ?? 0) !== (next.numServeEndpoints ?? 0) ||
    old?.observedGeneration !== next.observedGeneration ||
    !conditionsEqual(old?.conditions, next.conditions) ||
    !sideEqual(old?.activeServiceStatus, next.activeServiceStatus) ||
    !sideEqual(old?.pendingServiceStatus, next.pendingServiceStatus)
  );
}
