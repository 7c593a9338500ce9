import { Annotations, Labels } from '../../api/constants.ts';
import type { RayCronJob, RayJob } from '../../api/index.ts';
import { parseSchedule } from '../../api/validation/cron.ts';
import { type FeatureGates, validateRayCronJobSpec, validationMessage } from '../../api/validation/index.ts';
import { controllerRef } from '../../k8s/objects.ts';
import { metaTime } from '../../lib/clock.ts';
import { copyJson } from '../../lib/copy.ts';
import { errorMessage } from '../../lib/errors.ts';
import { randomSuffix } from '../../lib/name-suffix.ts';

export const SUSPENDED_MESSAGE = 'RayCronJob suspended, no new RayJobs will be created';

/** What one reconcile of a RayCronJob does; computed without I/O from the object, its RayJobs and the time. */
export type CronPlan =
  | { readonly action: 'invalid'; readonly message: string }
  | { readonly action: 'suspended' }
  /** Nothing due: look again when the next run is due (undefined: no run within five years). */
  | { readonly action: 'wait'; readonly requeueAfterMs: number | undefined }
  /**
   * A run is due at `scheduleTime`: create its RayJob (unless `existing` names the one already created for
   * it), then record `lastScheduleTime` and look again at the following run.
   */
  | {
      readonly action: 'run';
      readonly scheduleTime: number;
      readonly existing: string | undefined;
      readonly lastScheduleTime: string;
      readonly requeueAfterMs: number | undefined;
    };

/** A Kubernetes `metav1.Time`: RFC 3339 in UTC with whole seconds. */
export const rfc3339 = metaTime;

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function planRayCronJob(
  cron: RayCronJob,
  jobs: readonly RayJob[],
  now: number,
  features: Partial<FeatureGates> = {},
): CronPlan {
  const errors = validateRayCronJobSpec(cron, { features });
  const id = `${cron.metadata.namespace}/${cron.metadata.name}`;
  if (errors.length) return { action: 'invalid', message: `${id}: ${validationMessage(errors)}` };
  if (cron.spec.suspend === true) return { action: 'suspended' };
  let schedule: ReturnType<typeof parseSchedule>;
  try {
    schedule = parseSchedule(cron.spec.schedule, cron.spec.timeZone);
  } catch (err) {
    return { action: 'invalid', message: `${id}: invalid cron schedule: ${errorMessage(err)}` };
  }
  const earliest =
    parseTime(cron.status?.lastScheduleTime) ?? parseTime(cron.metadata.creationTimestamp) ?? now;
  const due = schedule.next(earliest);
  if (due === undefined) return { action: 'wait', requeueAfterMs: undefined };
  if (due > now) return { action: 'wait', requeueAfterMs: due - now };
  const stamp = rfc3339(due);
  const existing = jobs.find(
    (j) => j.metadata.annotations?.[Annotations.cronJobScheduledTimestamp] === stamp,
  );
  const after = schedule.next(now);
  return {
    action: 'run',
    scheduleTime: due,
    existing: existing?.metadata.name,
    lastScheduleTime: rfc3339(now),
    requeueAfterMs: after === undefined ? undefined : after - now,
  };
}

/** A 5-character name suffix from an alphabet without vowels (as Kubernetes' generated names). */
export const nameSuffix = (random: () => number): string => randomSuffix(random);

/** The RayJob for one run: `<cron>-<suffix>`, the template's spec, labelled, annotated and owned by the cron. */
export function buildRayJob(cron: RayCronJob, scheduleTime: number, suffix: string): RayJob {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: {
      name: `${cron.metadata.name}-${suffix}`,
      namespace: cron.metadata.namespace,
      labels: { [Labels.cronJobName]: cron.metadata.name! },
      annotations: { [Annotations.cronJobScheduledTimestamp]: rfc3339(scheduleTime) },
      ownerReferences: [controllerRef({ apiVersion: 'ray.io/v1', kind: 'RayCronJob', ...cron })],
    },
    spec: copyJson(cron.spec.jobTemplate),
  } as RayJob;
}
