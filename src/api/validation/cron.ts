import { KuberayError } from '../../lib/errors.ts';
import { parseGoDuration } from './duration.ts';

/**
 * The one cron parser (RayCronJob validation and the RayCronJob controller's next activation, docs/raycronjob.md): the standard 5 fields (minute hour day-of-month month
 * day-of-week), `@yearly`-style descriptors, `@every <duration>`, and an optional `TZ=`/`CRON_TZ=` prefix or the
 * spec's timeZone (no zone: the operator's local zone). Day-of-month and day-of-week combine with OR when both
 * are restricted and with AND when either is `*`, as in cron. Pure: `next` maps an instant to the next one.
 */

export class CronError extends KuberayError {}

interface CronSchedule {
  /** The first activation strictly after `afterMs` (epoch ms), or undefined if none within five years. */
  next(afterMs: number): number | undefined;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  // 0-6 as in robfig/cron v3 (the parser of KubeRay and of Kubernetes CronJobs): 7 is out of range, not Sunday.
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MINUTE = 60_000;
const HORIZON = 5 * 366 * 24 * 60 * MINUTE;

interface Field {
  readonly values: ReadonlySet<number>;
  /** The field was `*` or `?` (unrestricted), which matters for the day-of-month/day-of-week rule. */
  readonly star: boolean;
}

function number(s: string, f: FieldSpec, item: string): number {
  const idx = f.names?.indexOf(s.toLowerCase()) ?? -1;
  if (idx >= 0) return idx + f.min;
  if (!/^[0-9]+$/.test(s)) throw new CronError(`failed to parse ${f.name} field: ${item}`);
  return Number(s);
}

function parseField(text: string, f: FieldSpec): Field {
  const values = new Set<number>();
  let star = false;
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined || (stepText !== undefined && !/^[0-9]+$/.test(stepText)))
      throw new CronError(`invalid ${f.name} field: ${item}`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step <= 0) throw new CronError(`invalid ${f.name} field: ${item}: the step must be positive`);
    let lo: number;
    let hi: number;
    const isStar = range === '*' || range === '?';
    if (isStar) {
      lo = f.min;
      hi = f.max;
    } else {
      const [a = '', b, more] = range.split('-');
      if (more !== undefined) throw new CronError(`failed to parse ${f.name} field: ${item}`);
      lo = number(a, f, item);
      hi = b === undefined ? lo : number(b, f, item);
      if (lo < f.min || hi > f.max || lo > hi)
        throw new CronError(`${f.name} field ${item} is out of range (${f.min}-${f.max})`);
      // "N/step" means N to the maximum.
      if (stepText !== undefined && b === undefined) hi = f.max;
    }
    if (isStar && step === 1) star = true;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      ...(timeZone ? { timeZone } : {}),
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(key, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
export function wallClock(ms: number, timeZone: string | undefined): Wall {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    weekday: WEEKDAYS.indexOf(p.weekday ?? ''),
  };
}

const dateOf = (w: Wall) => w.year * 10_000 + w.month * 100 + w.day;

class FieldSchedule implements CronSchedule {
  readonly #f: readonly Field[];
  readonly #tz: string | undefined;
  constructor(fields: readonly Field[], timeZone: string | undefined) {
    this.#f = fields;
    this.#tz = timeZone;
  }

  #dayMatches(w: Wall): boolean {
    const dom = this.#f[2]!;
    const dow = this.#f[4]!;
    const a = dom.values.has(w.day);
    const b = dow.values.has(w.weekday);
    return dom.star || dow.star ? a && b : a || b;
  }

  /** The first instant of the wall-clock day `days` days after `w`'s (or the first one of it that exists). */
  #dayStart(t: number, w: Wall, days: number): number {
    const t2 = t + (((days - 1) * 24 + 24 - w.hour) * 60 - w.minute) * MINUTE;
    const w2 = wallClock(t2, this.#tz);
    if (dateOf(w2) === dateOf(w) || (w2.hour === 0 && w2.minute === 0)) return t2;
    // A DST change shifted the landing point; step back to midnight if that instant exists.
    const t3 = t2 - (w2.hour * 60 + w2.minute) * MINUTE;
    return dateOf(wallClock(t3, this.#tz)) === dateOf(w2) ? t3 : t2;
  }

  next(afterMs: number): number | undefined {
    const [minute, hour, , month] = this.#f as [Field, Field, Field, Field, Field];
    let t = Math.floor(afterMs / MINUTE) * MINUTE + MINUTE;
    const limit = afterMs + HORIZON;
    while (t <= limit) {
      const w = wallClock(t, this.#tz);
      if (!month.values.has(w.month)) {
        const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
        t = this.#dayStart(t, w, daysInMonth - w.day + 1);
      } else if (!this.#dayMatches(w)) t = this.#dayStart(t, w, 1);
      else if (!hour.values.has(w.hour)) t += (60 - w.minute) * MINUTE;
      else if (!minute.values.has(w.minute)) {
        let m = w.minute + 1;
        while (m < 60 && !minute.values.has(m)) m++;
        t += (m - w.minute) * MINUTE;
      } else return t;
    }
    return undefined;
  }
}

class EverySchedule implements CronSchedule {
  readonly #ms: number;
  constructor(ms: number) {
    this.#ms = ms;
  }
  next(afterMs: number): number {
    return Math.floor(afterMs / 1000) * 1000 + this.#ms;
  }
}

function checkZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new CronError(`provided bad location ${tz}`);
  }
  return tz;
}

/** The problem of a schedule (as the validation reports it), or undefined when it parses. */
export function cronProblem(schedule: string): string | undefined {
  try {
    parseSchedule(schedule);
    return undefined;
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

/** Parses a schedule (and the spec's timeZone); throws CronError naming the problem. */
export function parseSchedule(schedule: string, timeZone?: string): CronSchedule {
  let text = schedule.trim();
  let tz = timeZone === undefined ? undefined : checkZone(timeZone);
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/s.exec(text);
  if (prefix) {
    if (tz !== undefined) throw new CronError('the schedule has a TZ= prefix and spec.timeZone is set');
    tz = checkZone(prefix[1]!);
    text = prefix[2]!.trim();
  }
  if (text.startsWith('@every ')) {
    const ms = parseGoDuration(text.slice('@every '.length).trim());
    if (ms === undefined) throw new CronError(`failed to parse duration ${text}`);
    return new EverySchedule(Math.max(1000, Math.floor(ms / 1000) * 1000));
  }
  if (text.startsWith('@')) {
    const d = DESCRIPTORS[text];
    if (!d) throw new CronError(`unrecognized descriptor: ${text}`);
    text = d;
  }
  const parts = text.split(/\s+/).filter(Boolean);
  if (parts.length !== 5)
    throw new CronError(`expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`);
  return new FieldSchedule(
    parts.map((p, i) => parseField(p, FIELDS[i]!)),
    tz,
  );
}
