import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cluster, input, rayJob, runningStatus, sec, submitterJob, T0 } from './fixtures.test-support.ts';
import { decide } from './machine.ts';
import { toTime } from './status.ts';
import type { Action } from './types.ts';

const types = (a: readonly Action[]) => a.map((x) => x.type);

describe('Suspending and Retrying', () => {
  test('deletes the cluster and the submitter, keeps the state until both are gone', () => {
    const s = runningStatus({ jobDeploymentStatus: 'Suspending' });
    const d = decide(
      input(rayJob({ suspend: true }, s), {
        cluster: cluster('job-xyzwv'),
        submitterJob: submitterJob('job'),
      }),
    );
    assert.deepEqual(types(d.actions), ['deleteCluster', 'deleteSubmitterJob']);
    assert.equal(d.status.jobDeploymentStatus, 'Suspending');
  });

  test('a terminating cluster (held by a finalizer) is not deleted again and keeps Suspending, even if suspend flips', () => {
    const s = runningStatus({ jobDeploymentStatus: 'Suspending' });
    const held = cluster('job-xyzwv', 'ready', { deletionTimestamp: toTime(T0), finalizers: ['x'] });
    const d = decide(input(rayJob({ suspend: false }, s), { cluster: held, submitterJob: null }));
    assert.deepEqual(types(d.actions), []);
    assert.equal(d.status.jobDeploymentStatus, 'Suspending');
  });

  test('once both are gone: status cleared, Suspending -> Suspended, Retrying -> New', () => {
    const s = runningStatus({
      jobDeploymentStatus: 'Suspending',
      reason: 'x',
      message: 'y',
      jobStatusCheckFailureStartTime: toTime(T0),
    });
    const d = decide(input(rayJob({ suspend: true }, s), { cluster: null, submitterJob: null }));
    assert.equal(d.status.jobDeploymentStatus, 'Suspended');
    for (const k of [
      'rayClusterName',
      'dashboardURL',
      'jobId',
      'reason',
      'rayJobInfo',
      'jobStatusCheckFailureStartTime',
    ] as const)
      assert.equal(d.status[k], undefined, k);
    assert.equal(d.status.jobStatus, '');
    const r = decide(
      input(rayJob({}, { ...s, jobDeploymentStatus: 'Retrying' }), { cluster: null, submitterJob: null }),
    );
    assert.equal(r.status.jobDeploymentStatus, '');
  });

  test('clusterSelector: the shared cluster is never deleted', () => {
    const s = runningStatus({ jobDeploymentStatus: 'Retrying', rayClusterName: 'shared' });
    const d = decide(
      input(rayJob({ clusterSelector: { 'ray.io/cluster': 'shared' } }, s), {
        cluster: cluster('shared'),
        submitterJob: null,
      }),
    );
    assert.deepEqual(types(d.actions), []);
    assert.equal(d.status.jobDeploymentStatus, '');
  });
});

describe('Suspended', () => {
  test('suspend=true: no requeue, no status change', () => {
    const d = decide(input(rayJob({ suspend: true }, { jobDeploymentStatus: 'Suspended', jobStatus: '' })));
    assert.equal(d.writeStatus, false);
    assert.equal(d.requeueAfterMs, undefined);
  });
  test('suspend=false: New with jobStatus "" and a requeue', () => {
    const d = decide(input(rayJob({ suspend: false }, { jobDeploymentStatus: 'Suspended', jobStatus: '' })));
    assert.equal(d.status.jobDeploymentStatus, '');
    assert.equal(d.status.jobStatus, '');
    assert.ok((d.requeueAfterMs ?? 0) > 0);
  });
});

describe('retry accounting (backoffLimit)', () => {
  const failing = (spec = {}, status = {}) =>
    decide(
      input(rayJob({ backoffLimit: 1, ...spec }, runningStatus(status)), {
        cluster: cluster('job-xyzwv'),
        submitterJob: submitterJob('job', 'Complete'),
        jobInfo: { kind: 'ok', info: { status: 'FAILED' } },
      }),
    );
  test('first failure with backoffLimit=1 -> Retrying, failed=1', () => {
    const d = failing();
    assert.equal(d.status.jobDeploymentStatus, 'Retrying');
    assert.equal(d.status.failed, 1);
    assert.equal(d.finishedAttempt, true);
  });
  test('second failure -> Failed, failed=2', () => {
    const d = failing({}, { failed: 1 });
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
    assert.equal(d.status.failed, 2);
  });
  test('no backoffLimit -> Failed', () => {
    const d = decide(
      input(rayJob({}, runningStatus()), {
        cluster: cluster('job-xyzwv'),
        submitterJob: submitterJob('job', 'Complete'),
        jobInfo: { kind: 'ok', info: { status: 'FAILED' } },
      }),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
  });
});

describe('ValidationFailed recovery (better than KubeRay)', () => {
  test('a fixed spec with no cluster yet starts over from New', () => {
    const d = decide(
      input(
        rayJob({}, { jobDeploymentStatus: 'ValidationFailed', reason: 'ValidationFailed', message: 'bad' }),
      ),
    );
    assert.equal(d.status.jobDeploymentStatus, '');
    assert.equal(d.status.reason, '');
  });
  test('a fixed spec with a cluster goes through Retrying to clean up', () => {
    const d = decide(
      input(rayJob({}, { jobDeploymentStatus: 'ValidationFailed', rayClusterName: 'job-xyzwv' })),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Retrying');
  });
});

describe('terminal states', () => {
  const done = (status = 'SUCCEEDED', end = T0) =>
    runningStatus({
      jobDeploymentStatus: status === 'SUCCEEDED' ? 'Complete' : 'Failed',
      jobStatus: status,
      endTime: toTime(end),
    });

  test('no deletion configured: nothing, no requeue, no write', () => {
    const d = decide(input(rayJob({}, done()), { cluster: cluster('job-xyzwv') }));
    assert.deepEqual(d.actions, []);
    assert.equal(d.requeueAfterMs, undefined);
    assert.equal(d.writeStatus, false);
  });

  test('shutdownAfterJobFinishes: waits for the TTL, then deletes only the cluster', () => {
    const job = rayJob({ shutdownAfterJobFinishes: true, ttlSecondsAfterFinished: 10 }, done());
    const early = decide(input(job, { cluster: cluster('job-xyzwv') }, T0 + sec(4)));
    assert.deepEqual(early.actions, []);
    assert.equal(early.requeueAfterMs, sec(6) + 2000);
    const due = decide(input(job, { cluster: cluster('job-xyzwv') }, T0 + sec(10)));
    assert.deepEqual(due.actions, [{ type: 'deleteCluster', name: 'job-xyzwv' }]);
    const gone = decide(input(job, { cluster: null }, T0 + sec(11)));
    assert.deepEqual(gone.actions, []);
  });

  test('DELETE_RAYJOB_CR_AFTER_JOB_FINISHES deletes the RayJob itself', () => {
    const d = decide(
      input(rayJob({ shutdownAfterJobFinishes: true }, done()), { cluster: cluster('job-xyzwv') }, T0, {
        deleteRayJobAfterJobFinishes: true,
      }),
    );
    assert.deepEqual(types(d.actions), ['deleteSelf']);
  });

  test('clusterSelector: never deletes anything', () => {
    const d = decide(
      input(
        rayJob({ clusterSelector: { 'ray.io/cluster': 's' }, shutdownAfterJobFinishes: true }, done()),
        { cluster: cluster('s') },
        T0,
        { deleteRayJobAfterJobFinishes: true },
      ),
    );
    assert.deepEqual(d.actions, []);
  });

  for (const [policy, expected] of [
    ['DeleteCluster', 'deleteCluster'],
    ['DeleteWorkers', 'suspendWorkerGroups'],
    ['DeleteSelf', 'deleteSelf'],
    ['DeleteNone', undefined],
  ] as const) {
    for (const jobStatus of ['SUCCEEDED', 'FAILED']) {
      test(`legacy ${policy} on ${jobStatus}`, () => {
        const strategy = {
          onSuccess: { policy: jobStatus === 'SUCCEEDED' ? policy : 'DeleteNone' },
          onFailure: { policy: jobStatus === 'FAILED' ? policy : 'DeleteNone' },
        } as const;
        const d = decide(
          input(rayJob({ deletionStrategy: strategy }, done(jobStatus)), { cluster: cluster('job-xyzwv') }),
        );
        assert.deepEqual(types(d.actions), expected ? [expected] : []);
      });
      test(`rule ${policy} on ${jobStatus}`, () => {
        const rules = [
          { policy, condition: { jobStatus: jobStatus as 'SUCCEEDED' | 'FAILED', ttlSeconds: 0 } },
        ];
        const d = decide(
          input(rayJob({ deletionStrategy: { deletionRules: rules } }, done(jobStatus)), {
            cluster: cluster('job-xyzwv'),
          }),
        );
        assert.deepEqual(types(d.actions), expected ? [expected] : []);
      });
    }
  }

  test('the legacy policy is ignored when the RayJobDeletionPolicy gate is off', () => {
    const job = rayJob(
      { deletionStrategy: { onSuccess: { policy: 'DeleteSelf' }, onFailure: { policy: 'DeleteSelf' } } },
      done(),
    );
    assert.deepEqual(decide(input(job, {}, T0, { rayJobDeletionPolicy: false })).actions, []);
  });

  test('rules: all overdue -> only the most impactful runs (DeleteSelf)', () => {
    const rules = (['DeleteWorkers', 'DeleteCluster', 'DeleteSelf'] as const).map((policy) => ({
      policy,
      condition: { jobStatus: 'FAILED' as const },
    }));
    const d = decide(
      input(rayJob({ deletionStrategy: { deletionRules: rules } }, done('FAILED')), {
        cluster: cluster('job-xyzwv'),
      }),
    );
    assert.deepEqual(types(d.actions), ['deleteSelf']);
  });

  test('rules: multi-stage TTLs run workers, then cluster, then self, requeueing for the next due rule', () => {
    const rules = [
      { policy: 'DeleteWorkers' as const, condition: { jobStatus: 'SUCCEEDED' as const, ttlSeconds: 0 } },
      { policy: 'DeleteCluster' as const, condition: { jobStatus: 'SUCCEEDED' as const, ttlSeconds: 5 } },
      { policy: 'DeleteSelf' as const, condition: { jobStatus: 'SUCCEEDED' as const, ttlSeconds: 10 } },
    ];
    const job = rayJob({ deletionStrategy: { deletionRules: rules } }, done());
    const t0 = decide(input(job, { cluster: cluster('job-xyzwv') }, T0));
    assert.deepEqual(types(t0.actions), ['suspendWorkerGroups']);
    assert.equal(t0.requeueAfterMs, sec(5) + 2000);
    const suspended = cluster('job-xyzwv');
    suspended.spec.workerGroupSpecs![0]!.suspend = true;
    const t1 = decide(input(job, { cluster: suspended }, T0 + sec(1)));
    assert.deepEqual(t1.actions, []);
    const t5 = decide(input(job, { cluster: suspended }, T0 + sec(5)));
    assert.deepEqual(types(t5.actions), ['deleteCluster']);
    assert.equal(t5.requeueAfterMs, sec(5) + 2000);
    const t10 = decide(input(job, { cluster: null }, T0 + sec(10)));
    assert.deepEqual(types(t10.actions), ['deleteSelf']);
    assert.equal(t10.requeueAfterMs, undefined);
  });

  test('rules on jobDeploymentStatus Failed match a deadline failure', () => {
    const rules = [
      { policy: 'DeleteCluster' as const, condition: { jobDeploymentStatus: 'Failed' as const } },
    ];
    const s = { ...done('RUNNING'), jobDeploymentStatus: 'Failed', reason: 'DeadlineExceeded' };
    const d = decide(
      input(rayJob({ deletionStrategy: { deletionRules: rules } }, s), { cluster: cluster('job-xyzwv') }),
    );
    assert.deepEqual(types(d.actions), ['deleteCluster']);
  });
});
