import { JobDeploymentStatuses, JobStatuses, type RayJobStatus } from '../../api/index.ts';
import { metaTime } from '../../lib/clock.ts';

// node:util without an ESM import, whose namespace would read util's lazy getters (~3 MiB at start).
const { isDeepStrictEqual } = process.getBuiltinModule('node:util');

/** metav1.Time: RFC 3339 with second precision. */
export const toTime = metaTime;

export function parseTime(t: string | undefined | null): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isTerminalDeploymentStatus(s: string | undefined): boolean {
  return s === JobDeploymentStatuses.complete || s === JobDeploymentStatuses.failed;
}

export function isTerminalJobStatus(s: string | undefined): boolean {
  return s === JobStatuses.stopped || s === JobStatuses.succeeded || s === JobStatuses.failed;
}

/**
 * Whether a status change is worth a write. KubeRay writes only on changes of jobStatus, jobDeploymentStatus,
 * the cluster status and jobStatusCheckFailureStartTime; we also write when reason, message, jobId, cluster name
 * or dashboard URL change, so the "what is it waiting for" message is never lost. None of these change on a
 * steady-state pass, so a steady state still makes no writes.
 */
export function statusChanged(before: RayJobStatus | undefined, after: RayJobStatus): boolean {
  const b = before ?? {};
  const keys = [
    'jobStatus',
    'jobDeploymentStatus',
    'reason',
    'message',
    'jobId',
    'rayClusterName',
    'dashboardURL',
    'jobStatusCheckFailureStartTime',
  ] as const;
  for (const k of keys) if ((b[k] ?? '') !== (after[k] ?? '')) return true;
  return !isDeepStrictEqual(b.rayClusterStatus ?? {}, after.rayClusterStatus ?? {});
}
