import { EventReasons } from '../constants.ts';
import type { RayCronJob } from '../raycronjob.ts';
import type { ValidationError, ValidationOptions } from './common.ts';
import { cronProblem } from './cron.ts';
import { validateRayJobSpec } from './rayjob.ts';

/** RayCronJob validation: the cron schedule (the one parser, cron.ts), the time zone and the embedded RayJob template. */

export { cronProblem };

const REASON = EventReasons.invalidRayCronJobSpec;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function validateRayCronJobSpec(cron: RayCronJob, options: ValidationOptions = {}): ValidationError[] {
  const spec = cron.spec ?? {};
  const problem = cronProblem(spec.schedule ?? '');
  if (problem)
    return [{ field: 'spec.schedule', reason: REASON, message: `invalid cron schedule: ${problem}` }];
  if (spec.timeZone !== undefined && !isTimeZone(spec.timeZone)) {
    return [{ field: 'spec.timeZone', reason: REASON, message: `invalid timeZone: ${spec.timeZone}` }];
  }
  if (!spec.jobTemplate)
    return [{ field: 'spec.jobTemplate', reason: REASON, message: 'jobTemplate cannot be nil' }];
  const job = validateRayJobSpec(
    { metadata: { annotations: cron.metadata?.annotations }, spec: spec.jobTemplate },
    options,
  );
  return job.map((e) => ({
    field: e.field.replace(/^spec/, 'spec.jobTemplate'),
    reason: REASON,
    message: `invalid RayJob template: ${e.message}`,
  }));
}
