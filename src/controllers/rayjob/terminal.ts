import {
  type DeletionPolicyType,
  DeletionPolicyTypes,
  JobStatuses,
  type RayCluster,
  type RayJob,
} from '../../api/index.ts';
import type { RayJobConfig } from './config.ts';
import { parseTime } from './status.ts';
import type { Action } from './types.ts';

/** What a terminal (Complete/Failed) pass does: at most one deletion, and when to look again. */
interface TerminalPlan {
  readonly actions: readonly Action[];
  readonly requeueAfterMs: number | undefined;
  /** Human-readable note for logs (what is pending or what ran). */
  readonly note: string;
}

const slackMs = 2_000;
const impact: Record<DeletionPolicyType, number> = {
  DeleteSelf: 3,
  DeleteCluster: 2,
  DeleteWorkers: 1,
  DeleteNone: 0,
};

export function usesClusterSelector(rayJob: RayJob): boolean {
  return Boolean(rayJob.spec.clusterSelector?.['ray.io/cluster']);
}

function clusterGoneOrTerminating(cluster: RayCluster | null | undefined): boolean {
  return !cluster || Boolean(cluster.metadata.deletionTimestamp);
}

/** Whether a policy's effect is already in place. */
function policyDone(policy: string, cluster: RayCluster | null | undefined): boolean {
  switch (policy) {
    case DeletionPolicyTypes.deleteCluster:
      return clusterGoneOrTerminating(cluster);
    case DeletionPolicyTypes.deleteWorkers:
      return (
        clusterGoneOrTerminating(cluster) ||
        (cluster!.spec.workerGroupSpecs ?? []).every((g) => g.suspend === true)
      );
    case DeletionPolicyTypes.deleteSelf:
      return false;
    default:
      return true;
  }
}

function policyAction(
  policy: string,
  rayJob: RayJob,
  cluster: RayCluster | null | undefined,
): Action | undefined {
  const name = rayJob.status?.rayClusterName ?? '';
  switch (policy) {
    case DeletionPolicyTypes.deleteCluster:
      return name ? { type: 'deleteCluster', name } : undefined;
    case DeletionPolicyTypes.deleteWorkers:
      return cluster ? { type: 'suspendWorkerGroups', cluster } : undefined;
    case DeletionPolicyTypes.deleteSelf:
      return { type: 'deleteSelf' };
    default:
      return undefined;
  }
}

/** The deferred work of a terminal pass (Complete and Failed). Pure. */
export function planTerminal(
  rayJob: RayJob,
  cluster: RayCluster | null | undefined,
  config: RayJobConfig,
  now: number,
): TerminalPlan {
  const none = (note: string): TerminalPlan => ({ actions: [], requeueAfterMs: undefined, note });
  if (usesClusterSelector(rayJob)) return none('clusterSelector: nothing is deleted');
  const status = rayJob.status ?? {};
  const end = parseTime(status.endTime) ?? parseTime(status.startTime) ?? now;
  const strategy = rayJob.spec.deletionStrategy;

  const runAt = (policy: string, ttlSeconds: number): TerminalPlan => {
    const due = end + ttlSeconds * 1000;
    if (now < due)
      return { actions: [], requeueAfterMs: due - now + slackMs, note: `${policy} is due later` };
    if (policyDone(policy, cluster)) return none(`${policy} is done`);
    const action = policyAction(policy, rayJob, cluster);
    return { actions: action ? [action] : [], requeueAfterMs: undefined, note: `running ${policy}` };
  };

  if (config.rayJobDeletionPolicy && strategy) {
    if (strategy.deletionRules && strategy.deletionRules.length > 0)
      return planRules(rayJob, cluster, end, now);
    const policy =
      status.jobStatus === JobStatuses.succeeded
        ? strategy.onSuccess?.policy
        : status.jobStatus === JobStatuses.failed
          ? strategy.onFailure?.policy
          : undefined;
    if (!policy || policy === DeletionPolicyTypes.deleteNone)
      return none('legacy deletion policy: nothing to do');
    return runAt(policy, rayJob.spec.ttlSecondsAfterFinished ?? 0);
  }
  if (rayJob.spec.shutdownAfterJobFinishes) {
    const policy = config.deleteRayJobAfterJobFinishes
      ? DeletionPolicyTypes.deleteSelf
      : DeletionPolicyTypes.deleteCluster;
    return runAt(policy, rayJob.spec.ttlSecondsAfterFinished ?? 0);
  }
  return none('no deletion configured');
}

/** The deletion-rules engine: the most impactful overdue rule runs; requeue for the earliest pending one. */
function planRules(
  rayJob: RayJob,
  cluster: RayCluster | null | undefined,
  end: number,
  now: number,
): TerminalPlan {
  const status = rayJob.status ?? {};
  let earliest: number | undefined;
  let pick: DeletionPolicyType | undefined;
  for (const rule of rayJob.spec.deletionStrategy?.deletionRules ?? []) {
    const c = rule.condition;
    const matches =
      (c.jobStatus !== undefined && c.jobStatus === status.jobStatus) ||
      (c.jobDeploymentStatus !== undefined && c.jobDeploymentStatus === status.jobDeploymentStatus);
    if (!matches) continue;
    const due = end + (c.ttlSeconds ?? 0) * 1000;
    if (now < due) {
      earliest = earliest === undefined ? due : Math.min(earliest, due);
      continue;
    }
    if (policyDone(rule.policy, cluster)) continue;
    if (pick === undefined || impact[rule.policy] > impact[pick]) pick = rule.policy;
  }
  const action = pick ? policyAction(pick, rayJob, cluster) : undefined;
  return {
    actions: action ? [action] : [],
    requeueAfterMs: earliest === undefined ? undefined : earliest - now + slackMs,
    note: pick
      ? `running ${pick}`
      : earliest === undefined
        ? 'no deletion rule pending'
        : 'deletion rules pending',
  };
}
