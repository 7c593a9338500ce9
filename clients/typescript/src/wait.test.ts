import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../../src/api/raycluster.ts';
import type { RayJob } from '../../../src/api/rayjob.ts';
import type { RayService } from '../../../src/api/rayservice.ts';
import { ApiError } from '../../../src/k8s/api-error.ts';
import { clusterConditions, describeStatus, jobConditions, serviceConditions } from './conditions.ts';
import { WaitConditionError, WaitTimeoutError } from './errors.ts';
import type { RayWatchEvent } from './resource-client.ts';
import { type Watchable, waitForObject } from './wait.ts';

const job = (jobDeploymentStatus: string, jobStatus = '', rv = '1'): RayJob =>
  ({
    kind: 'RayJob',
    metadata: { name: 'j', namespace: 'ns', resourceVersion: rv },
    spec: {},
    status: { jobDeploymentStatus, jobStatus },
  }) as RayJob;

test('job conditions: running, terminal, succeeded (never when it ended otherwise), suspended', () => {
  assert.deepEqual(jobConditions.running(job('Running', 'RUNNING')), { done: true });
  assert.equal(jobConditions.running(job('Initializing')).done, false);
  assert.match((jobConditions.running(job('Failed', 'FAILED')) as { never: string }).never, /ended/);
  assert.equal(jobConditions.terminal(job('Complete', 'STOPPED')).done, true);
  assert.equal(jobConditions.terminal(job('ValidationFailed')).done, true);
  assert.equal(jobConditions.terminal(job('Retrying', 'FAILED')).done, false, 'a retry is not the end');
  assert.equal(jobConditions.succeeded(job('Complete', 'SUCCEEDED')).done, true);
  assert.equal(jobConditions.succeeded(job('Running', 'SUCCEEDED')).done, false);
  const failed = jobConditions.succeeded(job('Failed', 'FAILED'));
  assert.match((failed as { never: string }).never, /jobDeploymentStatus Failed, jobStatus FAILED/);
  assert.equal(jobConditions.suspended(job('Suspended')).done, true);
});

test('cluster and service conditions; describeStatus', () => {
  const rc = (state?: string) =>
    ({ kind: 'RayCluster', metadata: {}, spec: {}, status: { state } }) as RayCluster;
  assert.equal(clusterConditions.ready(rc('ready')).done, true);
  assert.equal(clusterConditions.ready(rc(undefined)).done, false);
  assert.equal(clusterConditions.suspended(rc('suspended')).done, true);
  const svc = (status: string) =>
    ({ kind: 'RayService', metadata: {}, status: { conditions: [{ type: 'Ready', status }] } }) as RayService;
  assert.equal(serviceConditions.ready(svc('True')).done, true);
  assert.equal(serviceConditions.ready(svc('False')).done, false);
  assert.equal(describeStatus(rc('failed')), 'state failed');
  assert.equal(describeStatus(svc('False')), 'Ready=False');
  assert.equal(describeStatus(undefined), 'never observed');
  assert.match(describeStatus(job('Running', 'RUNNING')), /jobDeploymentStatus Running, jobStatus RUNNING/);
});

/** An in-memory Watchable: `get` answers `current`, each `watch` yields the next scripted batch. */
function scripted(current: RayJob, batches: (RayWatchEvent<RayJob>[] | Error)[]) {
  const watches: { resourceVersion?: string; name?: string }[] = [];
  let gets = 0;
  const w: Watchable<RayJob> = {
    type: { kind: 'RayJob' },
    namespace: 'ns',
    get: async () => {
      gets++;
      return current;
    },
    watch: (o = {}) => {
      watches.push({
        ...(o.resourceVersion ? { resourceVersion: o.resourceVersion } : {}),
        ...(o.name ? { name: o.name } : {}),
      });
      const next = batches.shift();
      return (async function* () {
        if (next instanceof Error) throw next;
        if (next) for (const ev of next) yield ev;
        else
          await new Promise<void>((_, reject) =>
            o.signal?.addEventListener('abort', () => reject(o.signal?.reason), { once: true }),
          );
      })();
    },
  };
  return { w, watches, gets: () => gets };
}

test('waitForObject: met at the first read, without a watch', async () => {
  const s = scripted(job('Complete', 'SUCCEEDED'), []);
  const got = await waitForObject(s.w, 'j', jobConditions.succeeded);
  assert.equal(got.status?.jobStatus, 'SUCCEEDED');
  assert.equal(s.watches.length, 0);
});

test('waitForObject: follows the watch from the read resourceVersion; re-reads after 410 Gone', async () => {
  const s = scripted(job('Initializing', '', '7'), [
    [{ type: 'MODIFIED', object: job('Running', 'RUNNING', '8') }],
    new ApiError('GET', 'watch', 410, { reason: 'Expired', code: 410 }),
    [{ type: 'MODIFIED', object: job('Complete', 'SUCCEEDED', '9') }],
  ]);
  const got = await waitForObject(s.w, 'j', jobConditions.succeeded);
  assert.equal(got.metadata.resourceVersion, '9');
  assert.deepEqual(s.watches, [
    { resourceVersion: '7', name: 'j' },
    { resourceVersion: '7', name: 'j' },
    { resourceVersion: '7', name: 'j' },
  ]);
  assert.equal(s.gets(), 3, 'one read, then one after each ended watch');
});

test('waitForObject: a job that fails is a WaitConditionError; a deletion too', async () => {
  const failing = scripted(job('Running', 'RUNNING'), [
    [{ type: 'MODIFIED', object: job('Failed', 'FAILED') }],
  ]);
  await assert.rejects(waitForObject(failing.w, 'j', jobConditions.succeeded), (e: unknown) => {
    assert.ok(e instanceof WaitConditionError);
    assert.match(e.message, /^RayJob ns\/j: the RayJob ended without succeeding: .*jobStatus FAILED/);
    return true;
  });
  const deleted = scripted(job('Running'), [[{ type: 'DELETED', object: job('Running') }]]);
  await assert.rejects(
    waitForObject(deleted.w, 'j', jobConditions.succeeded),
    /RayJob ns\/j was deleted while waiting/,
  );
});

test('waitForObject: timeout names what it saw; an aborted signal rejects with its reason', async () => {
  const s = scripted(job('Running', 'RUNNING'), []);
  await assert.rejects(waitForObject(s.w, 'j', jobConditions.succeeded, { timeoutMs: 50 }), (e: unknown) => {
    assert.ok(e instanceof WaitTimeoutError);
    assert.match(e.message, /timed out after 50 ms waiting for RayJob ns\/j: jobDeploymentStatus Running/);
    assert.equal((e.lastSeen as RayJob).status?.jobStatus, 'RUNNING');
    return true;
  });
  const ac = new AbortController();
  const waiting = waitForObject(scripted(job('Running'), []).w, 'j', jobConditions.succeeded, {
    signal: ac.signal,
  });
  ac.abort(new Error('user gave up'));
  await assert.rejects(waiting, /user gave up/);
  await assert.rejects(
    waitForObject(s.w, 'j', jobConditions.succeeded, { timeoutMs: 0 }),
    /timeoutMs: must be a positive/,
  );
});

test('waitForObject: other API errors pass through', async () => {
  const s = scripted(job('Running'), [new ApiError('GET', 'watch', 403, { message: 'forbidden' })]);
  await assert.rejects(
    waitForObject(s.w, 'j', jobConditions.succeeded),
    (e: unknown) => e instanceof ApiError && e.status === 403,
  );
});
