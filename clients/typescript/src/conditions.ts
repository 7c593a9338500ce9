import {
  ClusterStates,
  JobDeploymentStatuses,
  JobStatuses,
  RayServiceConditionTypes,
} from '../../../src/api/constants.ts';
import type { RayCluster } from '../../../src/api/raycluster.ts';
import type { RayJob } from '../../../src/api/rayjob.ts';
import type { RayService } from '../../../src/api/rayservice.ts';

/**
 * The verdict of a wait condition on one observed object: keep waiting, done, or never (the object reached a
 * state the condition rules out; `reason` says which).
 */
export type Verdict = { readonly done: true } | { readonly done: false; readonly never?: string };

/**
 * A wait condition: a pure function of the observed object.
 *
 * @example
 * ```ts
 * const twoWorkers: Condition<RayCluster> = (c) =>
 *   (c.status?.readyWorkerReplicas ?? 0) >= 2 ? { done: true } : { done: false };
 * await client.clusters.waitFor('demo', twoWorkers);
 * ```
 */
export type Condition<T> = (obj: T) => Verdict;

const done: Verdict = { done: true };
const pending: Verdict = { done: false };

/** Named RayCluster conditions: `ready` (status.state ready) and `suspended`. */
export const clusterConditions = {
  ready: (c: RayCluster): Verdict => (c.status?.state === ClusterStates.ready ? done : pending),
  suspended: (c: RayCluster): Verdict => (c.status?.state === ClusterStates.suspended ? done : pending),
} as const satisfies Record<string, Condition<RayCluster>>;

const terminalDeployment: readonly string[] = [
  JobDeploymentStatuses.complete,
  JobDeploymentStatuses.failed,
  JobDeploymentStatuses.validationFailed,
];

function jobSummary(j: RayJob): string {
  const s = j.status;
  const parts = [
    `jobDeploymentStatus ${s?.jobDeploymentStatus || '(new)'}`,
    `jobStatus ${s?.jobStatus || '(none)'}`,
  ];
  if (s?.reason) parts.push(`reason ${s.reason}`);
  if (s?.message) parts.push(`message: ${s.message}`);
  return parts.join(', ');
}

/**
 * Named RayJob conditions: `running` (jobDeploymentStatus Running), `terminal` (Complete, Failed or
 * ValidationFailed), `succeeded` (terminal with jobStatus SUCCEEDED; any other terminal outcome can never
 * succeed) and `suspended`.
 */
export const jobConditions = {
  running: (j: RayJob): Verdict => {
    const d = j.status?.jobDeploymentStatus ?? '';
    if (d === JobDeploymentStatuses.running) return done;
    if (terminalDeployment.includes(d)) return { done: false, never: `the RayJob ended: ${jobSummary(j)}` };
    return pending;
  },
  terminal: (j: RayJob): Verdict =>
    terminalDeployment.includes(j.status?.jobDeploymentStatus ?? '') ? done : pending,
  succeeded: (j: RayJob): Verdict => {
    if (!terminalDeployment.includes(j.status?.jobDeploymentStatus ?? '')) return pending;
    if (j.status?.jobStatus === JobStatuses.succeeded) return done;
    return { done: false, never: `the RayJob ended without succeeding: ${jobSummary(j)}` };
  },
  suspended: (j: RayJob): Verdict =>
    j.status?.jobDeploymentStatus === JobDeploymentStatuses.suspended ? done : pending,
} as const satisfies Record<string, Condition<RayJob>>;

/** Named RayService conditions: `ready` (condition Ready is True). */
export const serviceConditions = {
  ready: (s: RayService): Verdict =>
    s.status?.conditions?.some((c) => c.type === RayServiceConditionTypes.ready && c.status === 'True')
      ? done
      : pending,
} as const satisfies Record<string, Condition<RayService>>;

/** Names of the RayCluster conditions: `ready`, `suspended`. */
export type ClusterConditionName = keyof typeof clusterConditions;
/** Names of the RayJob conditions: `running`, `terminal`, `succeeded`, `suspended`. */
export type JobConditionName = keyof typeof jobConditions;
/** Names of the RayService conditions: `ready`. */
export type ServiceConditionName = keyof typeof serviceConditions;

/**
 * A one-line account of an object's status, for timeout messages.
 *
 * @example
 * ```ts
 * describeStatus(await client.jobs.get('pi')); // 'jobDeploymentStatus Running, jobStatus RUNNING'
 * ```
 */
export function describeStatus(obj: { kind?: string; status?: unknown } | undefined): string {
  if (!obj) return 'never observed';
  if (obj.kind === 'RayJob') return jobSummary(obj as RayJob);
  if (obj.kind === 'RayCluster') {
    const s = (obj as RayCluster).status;
    return `state ${s?.state || '(none)'}${s?.reason ? `, reason ${s.reason}` : ''}`;
  }
  const conditions = (obj.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  if (conditions?.length) return conditions.map((c) => `${c.type}=${c.status}`).join(', ');
  return obj.status === undefined ? 'no status yet' : JSON.stringify(obj.status).slice(0, 300);
}
