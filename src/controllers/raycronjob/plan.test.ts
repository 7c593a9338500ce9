import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Annotations } from '../../api/constants.ts';
import type { RayCronJob, RayJob } from '../../api/index.ts';
import { buildRayJob, nameSuffix, planRayCronJob, rfc3339 } from './plan.ts';

const at = (iso: string) => Date.parse(iso);

const template = {
  entrypoint: 'python /home/ray/samples/sample_code.py',
  shutdownAfterJobFinishes: true,
  rayClusterSpec: {
    headGroupSpec: {
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'ray' }] } },
    },
  },
};

function cron(spec: Partial<RayCronJob['spec']> = {}, status: RayCronJob['status'] = {}): RayCronJob {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCronJob',
    metadata: { name: 'nightly', namespace: 'ns', uid: 'uid-1', creationTimestamp: '2026-01-01T10:00:30Z' },
    spec: { schedule: '*/5 * * * *', jobTemplate: template as never, ...spec },
    status,
  };
}

const job = (stamp: string): RayJob =>
  ({
    metadata: { name: 'nightly-abcde', annotations: { [Annotations.cronJobScheduledTimestamp]: stamp } },
    spec: {},
  }) as never;

test('before the first run: wait until the next schedule after the creation time', () => {
  const p = planRayCronJob(cron(), [], at('2026-01-01T10:01:00Z'));
  assert.deepEqual(p, { action: 'wait', requeueAfterMs: 4 * 60_000 });
});

test('a due run: create it, record now as lastScheduleTime, and wait for the following run', () => {
  const p = planRayCronJob(cron(), [], at('2026-01-01T10:05:20.500Z'));
  assert.deepEqual(p, {
    action: 'run',
    scheduleTime: at('2026-01-01T10:05:00Z'),
    existing: undefined,
    lastScheduleTime: '2026-01-01T10:05:20Z',
    requeueAfterMs: at('2026-01-01T10:10:00Z') - at('2026-01-01T10:05:20.500Z'),
  });
});

test('after a run, lastScheduleTime (not the creation time) is the base', () => {
  const c = cron({}, { lastScheduleTime: '2026-01-01T10:05:20Z' });
  assert.deepEqual(planRayCronJob(c, [], at('2026-01-01T10:06:00Z')), {
    action: 'wait',
    requeueAfterMs: 4 * 60_000,
  });
});

test('missed runs are not replayed: one RayJob, for the first missed schedule, then the next from now', () => {
  const p = planRayCronJob(cron(), [], at('2026-01-01T11:02:00Z'));
  assert.equal(p.action, 'run');
  if (p.action !== 'run') return;
  assert.equal(rfc3339(p.scheduleTime), '2026-01-01T10:05:00Z');
  assert.equal(p.requeueAfterMs, 3 * 60_000);
});

test('a RayJob already created for the due run is reused, not duplicated (stale cache after a create)', () => {
  const p = planRayCronJob(cron(), [job('2026-01-01T10:05:00Z')], at('2026-01-01T10:05:20Z'));
  assert.equal(p.action === 'run' && p.existing, 'nightly-abcde');
  const other = planRayCronJob(cron(), [job('2026-01-01T10:00:00Z')], at('2026-01-01T10:05:20Z'));
  assert.equal(other.action === 'run' && other.existing, undefined);
});

test('suspend stops scheduling', () => {
  assert.deepEqual(planRayCronJob(cron({ suspend: true }), [], at('2026-01-01T12:00:00Z')), {
    action: 'suspended',
  });
});

test('time zones: the schedule is read in spec.timeZone', () => {
  const c = cron({ schedule: '45 21 * * *', timeZone: 'Asia/Taipei' });
  const p = planRayCronJob(c, [], at('2026-01-01T13:00:00Z'));
  assert.deepEqual(p, { action: 'wait', requeueAfterMs: 45 * 60_000 });
});

test('an invalid spec is reported with the namespace/name and the field problem, and never scheduled', () => {
  const p = planRayCronJob(cron({ schedule: '61 * * * *' }), [], at('2026-01-01T12:00:00Z'));
  assert.equal(p.action, 'invalid');
  assert.match(p.action === 'invalid' ? p.message : '', /^ns\/nightly: invalid cron schedule: /);
  const tz = planRayCronJob(cron({ timeZone: 'Nowhere/Land' }), [], at('2026-01-01T12:00:00Z'));
  assert.equal(tz.action, 'invalid');
});

test('a schedule that never fires waits without a requeue', () => {
  const p = planRayCronJob(cron({ schedule: '0 0 30 2 *' }), [], at('2026-01-01T12:00:00Z'));
  assert.deepEqual(p, { action: 'wait', requeueAfterMs: undefined });
});

test('the RayJob: <cron>-<suffix>, the cron label, the scheduled timestamp, the controller owner, a copy of the template', () => {
  const c = cron();
  const rj = buildRayJob(c, at('2026-01-01T10:05:00Z'), 'x2b4z');
  assert.deepEqual(rj.metadata, {
    name: 'nightly-x2b4z',
    namespace: 'ns',
    labels: { 'ray.io/cronjob-name': 'nightly' },
    annotations: { 'ray.io/cronjob-scheduled-timestamp': '2026-01-01T10:05:00Z' },
    ownerReferences: [
      {
        apiVersion: 'ray.io/v1',
        kind: 'RayCronJob',
        name: 'nightly',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  });
  assert.deepEqual(rj.spec, c.spec.jobTemplate);
  assert.notEqual(rj.spec, c.spec.jobTemplate);
});

test('name suffixes: 5 characters without vowels', () => {
  assert.equal(
    nameSuffix(() => 0),
    'bbbbb',
  );
  assert.equal(
    nameSuffix(() => 0.9999),
    '99999',
  );
  assert.match(nameSuffix(Math.random), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});
