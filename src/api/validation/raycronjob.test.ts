import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCronJob } from '../raycronjob.ts';
import { cronProblem, validateRayCronJobSpec } from './raycronjob.ts';

test('cron schedules: five standard fields or a descriptor', () => {
  for (const ok of [
    '* * * * *',
    '45 21 * * *',
    '*/5 0-6 1,15 jan-mar mon-fri',
    '@hourly',
    '@every 1h',
    'CRON_TZ=Asia/Taipei 0 9 * * *',
    '0 0 * * 0',
  ]) {
    assert.equal(cronProblem(ok), undefined, ok);
  }
  const rejected: [schedule: string, problem: string][] = [
    // robfig/cron v3's day-of-week range is 0-6: 7 is rejected (docs/raycronjob.md).
    ['0 0 * * 7', 'day of week field 7 is out of range (0-6)'],
    ['* * *', 'expected exactly 5 fields, found 3: [* * *]'],
    ['61 * * * *', 'minute field 61 is out of range (0-59)'],
    ['@sometimes', 'unrecognized descriptor: @sometimes'],
    ['x * * * *', 'failed to parse minute field: x'],
    ['TZ=Nowhere/City * * * * *', 'provided bad location Nowhere/City'],
  ];
  for (const [schedule, problem] of rejected) assert.equal(cronProblem(schedule), problem);
});

const cron = (): RayCronJob => ({
  metadata: { name: 'cj' },
  spec: {
    schedule: '* * * * *',
    jobTemplate: {
      entrypoint: 'python x.py',
      rayClusterSpec: { headGroupSpec: { template: { spec: { containers: [{ name: 'ray' }] } } } },
    },
  },
});

test('RayCronJob spec: schedule, time zone and the RayJob template', () => {
  assert.deepEqual(validateRayCronJobSpec(cron()), []);
  const bad = cron();
  bad.spec.schedule = 'every minute';
  assert.equal(
    validateRayCronJobSpec(bad)[0]?.message,
    'invalid cron schedule: expected exactly 5 fields, found 2: [every minute]',
  );
  const tz = cron();
  tz.spec.timeZone = 'Mars/Olympus';
  assert.deepEqual(validateRayCronJobSpec(tz), [
    { field: 'spec.timeZone', reason: 'InvalidRayCronJobSpec', message: 'invalid timeZone: Mars/Olympus' },
  ]);
  const tpl = cron();
  tpl.spec.jobTemplate.activeDeadlineSeconds = 0;
  assert.deepEqual(validateRayCronJobSpec(tpl), [
    {
      field: 'spec.jobTemplate.activeDeadlineSeconds',
      reason: 'InvalidRayCronJobSpec',
      message:
        'invalid RayJob template: The RayJob spec is invalid: activeDeadlineSeconds must be a positive integer',
    },
  ]);
});
