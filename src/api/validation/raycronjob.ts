import { EventReasons } from '../constants.ts';
import type { RayCronJob } from '../raycronjob.ts';
import type { ValidationError, ValidationOptions } from './common.ts';
import { validateRayJobSpec } from './rayjob.ts';

/** RayCronJob validation: the cron schedule, the time zone and the embedded RayJob template. */

const REASON = EventReasons.invalidRayCronJobSpec;

const DESCRIPTORS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

function value(s: string, f: (typeof FIELDS)[number]): number | undefined {
  const names = 'names' in f ? (f.names as readonly string[]) : undefined;
  const idx = names?.indexOf(s.toLowerCase()) ?? -1;
  if (idx >= 0) return idx + f.min;
  if (!/^[0-9]+$/.test(s)) return undefined;
  return Number(s);
}

/** Checks a standard 5-field cron expression (or a descriptor); returns an error text or undefined. */
export function cronProblem(schedule: string): string | undefined {
  let s = schedule.trim();
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(s);
  if (tz) {
    if (!isTimeZone(tz[1]!)) return `provided bad location ${tz[1]}`;
    s = tz[2]!;
  }
  if (s.startsWith('@')) {
    if (DESCRIPTORS.has(s)) return undefined;
    if (s.startsWith('@every ')) return undefined;
    return `unrecognized descriptor: ${s}`;
  }
  const parts = s.split(/\s+/).filter(Boolean);
  if (parts.length !== 5) return `expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`;
  for (const [i, part] of parts.entries()) {
    const f = FIELDS[i]!;
    for (const item of part.split(',')) {
      const [range, step, extra] = item.split('/');
      if (extra !== undefined || (step !== undefined && !/^[0-9]+$/.test(step)))
        return `invalid ${f.name} field: ${item}`;
      if (range === '*' || range === '?') continue;
      const [a, b, more] = range!.split('-');
      const lo = value(a!, f);
      const hi = b === undefined ? lo : value(b, f);
      if (more !== undefined || lo === undefined || hi === undefined)
        return `failed to parse ${f.name} field: ${item}`;
      const max = f.name === 'day of week' ? 7 : f.max;
      if (lo < f.min || hi > max || lo > hi)
        return `${f.name} field ${item} is out of range (${f.min}-${f.max})`;
    }
  }
  return undefined;
}

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
