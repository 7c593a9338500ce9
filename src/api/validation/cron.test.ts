import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronError, parseSchedule, wallClock } from './cron.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const next = (schedule: string, after: string, tz = 'UTC') =>
  iso(parseSchedule(schedule, tz).next(at(after)));

/** Cases of `next`: the schedule, the instant, and the next run strictly after it. */
type NextCase = [schedule: string, after: string, want: string];
const expectNext = (cases: readonly NextCase[]) => {
  for (const [schedule, after, want] of cases)
    assert.equal(next(schedule, after), want, `${schedule} after ${after}`);
};

test('every minute: the next whole minute strictly after the instant', () => {
  expectNext([
    ['* * * * *', '2026-01-01T10:00:00Z', '2026-01-01T10:01:00.000Z'],
    ['* * * * *', '2026-01-01T10:00:59.999Z', '2026-01-01T10:01:00.000Z'],
  ]);
});

test('steps, ranges, lists and names', () => {
  expectNext([
    ['*/15 * * * *', '2026-01-01T10:16:00Z', '2026-01-01T10:30:00.000Z'],
    ['5 9-17/4 * * *', '2026-01-01T13:05:00Z', '2026-01-01T17:05:00.000Z'],
    ['0 0 1,15 * *', '2026-01-02T00:00:00Z', '2026-01-15T00:00:00.000Z'],
    ['0 12 * JAN,jul *', '2026-02-01T00:00:00Z', '2026-07-01T12:00:00.000Z'],
    ['30 8 * * mon-fri', '2026-01-02T09:00:00Z', '2026-01-05T08:30:00.000Z'], // Fri -> Mon
    // 0-6 as robfig/cron v3 (KubeRay's and Kubernetes' parser): 7 is not Sunday but out of range.
    ['0 0 * * 0', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00.000Z'],
    ['10/20 * * * *', '2026-01-01T10:31:00Z', '2026-01-01T10:50:00.000Z'], // N/step: N..max
  ]);
  assert.throws(() => parseSchedule('0 0 * * 7'), /day of week field 7 is out of range \(0-6\)/);
});

test('day of month and day of week: OR when both are restricted, AND when one is *', () => {
  expectNext([
    // 13th of the month or a Friday: Friday 2026-01-02 comes first.
    ['0 0 13 * 5', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
    // Only the 13th (day of week unrestricted).
    ['0 0 13 * *', '2026-01-01T00:00:00Z', '2026-01-13T00:00:00.000Z'],
    // */1 is not unrestricted for this rule? It is: a step of 1 over * keeps the star.
    ['0 0 13 * */1', '2026-01-01T00:00:00Z', '2026-01-13T00:00:00.000Z'],
  ]);
});

test('descriptors and @every', () => {
  expectNext([
    ['@hourly', '2026-01-01T10:00:00Z', '2026-01-01T11:00:00.000Z'],
    ['@daily', '2026-01-01T10:00:00Z', '2026-01-02T00:00:00.000Z'],
    ['@weekly', '2026-01-01T10:00:00Z', '2026-01-04T00:00:00.000Z'],
    ['@monthly', '2026-01-01T10:00:00Z', '2026-02-01T00:00:00.000Z'],
    ['@yearly', '2026-01-01T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['@every 90s', '2026-01-01T10:00:00.700Z', '2026-01-01T10:01:30.000Z'],
    ['@every 10ms', '2026-01-01T10:00:00Z', '2026-01-01T10:00:01.000Z'], // at least 1 s
  ]);
});

test('time zones: the sample schedule at 21:45 Asia/Taipei is 13:45 UTC', () => {
  assert.equal(next('45 21 * * *', '2026-01-01T14:00:00Z', 'Asia/Taipei'), '2026-01-02T13:45:00.000Z');
  assert.equal(
    iso(parseSchedule('TZ=Asia/Taipei 45 21 * * *').next(at('2026-01-01T14:00:00Z'))),
    '2026-01-02T13:45:00.000Z',
  );
  assert.equal(
    iso(parseSchedule('CRON_TZ=America/New_York 0 9 * * *').next(at('2026-07-01T00:00:00Z'))),
    '2026-07-01T13:00:00.000Z',
  );
});

test('daylight saving: wall-clock times stay put across the change; a missing hour is skipped', () => {
  const ny = 'America/New_York';
  // 2026-03-08 02:00 EST jumps to 03:00 EDT.
  assert.equal(next('0 9 * * *', '2026-03-07T15:00:00Z', ny), '2026-03-08T13:00:00.000Z');
  assert.equal(next('0 0 * * *', '2026-03-08T06:00:00Z', ny), '2026-03-09T04:00:00.000Z');
  assert.equal(next('30 2 * * *', '2026-03-08T05:00:00Z', ny), '2026-03-09T06:30:00.000Z');
  // 2026-11-01 02:00 EDT falls back to 01:00 EST: the midnight after is 05:00 UTC.
  assert.equal(next('0 0 * * *', '2026-11-01T04:30:00Z', ny), '2026-11-02T05:00:00.000Z');
  assert.deepEqual(wallClock(at('2026-11-01T06:30:00Z'), ny), {
    year: 2026,
    month: 11,
    day: 1,
    hour: 1,
    minute: 30,
    weekday: 0,
  });
});

test('month skips land on the first of the month in the zone, across DST changes', () => {
  const ny = 'America/New_York';
  assert.equal(next('0 0 1 11 *', '2026-03-01T12:00:00Z', ny), '2026-11-01T04:00:00.000Z');
  assert.equal(next('0 12 * 4 *', '2026-03-01T12:00:00Z', ny), '2026-04-01T16:00:00.000Z');
  assert.equal(next('0 0 * 12 *', '2026-11-15T12:00:00Z', ny), '2026-12-01T05:00:00.000Z');
});

test('impossible dates find nothing within five years; Feb 29 is found', () => {
  assert.equal(next('0 0 30 2 *', '2026-01-01T00:00:00Z'), undefined);
  assert.equal(next('0 0 29 2 *', '2026-01-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
});

test('bad schedules throw a CronError naming the problem', () => {
  const bad: [string, string | undefined, RegExp][] = [
    ['* * * *', undefined, /expected exactly 5 fields, found 4/],
    ['61 * * * *', undefined, /minute field 61 is out of range \(0-59\)/],
    ['5-1 * * * *', undefined, /minute field 5-1 is out of range \(0-59\)/],
    ['*/0 * * * *', undefined, /invalid minute field: \*\/0: the step must be positive/],
    ['x * * * *', undefined, /failed to parse minute field: x/],
    ['@often', undefined, /unrecognized descriptor: @often/],
    ['@every soon', undefined, /failed to parse duration/],
    ['* * * * *', 'Mars/Base', /provided bad location Mars\/Base/],
    ['TZ=UTC * * * * *', 'UTC', /TZ= prefix and spec.timeZone/],
  ];
  for (const [s, tz, re] of bad)
    assert.throws(
      () => parseSchedule(s, tz),
      (e: unknown) => e instanceof CronError && re.test(e.message),
      s,
    );
});
