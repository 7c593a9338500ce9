import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod, RayCluster, Service } from '../../api/index.ts';
import {
  cluster,
  headService,
  input,
  rayJob,
  runningStatus,
  sec,
  submitterJob,
  T0,
} from './fixtures.test-support.ts';
import { decide } from './machine.ts';
import { toTime } from './status.ts';
import type { Action, Observed } from './types.ts';

const obs = (extra: Observed = {}): Observed => ({
  cluster: cluster('job-xyzwv'),
  clusterHeadService: headService('job-xyzwv'),
  jobHeadService: null,
  submitterJob: submitterJob('job'),
  ...extra,
});
/** decide() for a RayJob in Running, the submitter and cluster as `obs` has them with `extra` over them. */
const whileRunning = (extra: Observed, now?: number) =>
  decide(input(rayJob({}, runningStatus()), obs(extra), now));
const info = (status: string, extra = {}) => ({ kind: 'ok' as const, info: { status, ...extra } });

describe('Running, K8sJobMode', () => {
  test('Ray job RUNNING: stays Running, copies job status, message and times; creates the job head Service', () => {
    const d = decide(
      input(
        rayJob({}, runningStatus({ jobStatus: 'PENDING' })),
        obs({ jobInfo: info('RUNNING', { start_time: T0 + 1500 }) }),
      ),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Running');
    assert.equal(d.status.jobStatus, 'RUNNING');
    assert.equal(d.status.rayJobInfo?.startTime, toTime(T0 + 1500));
    assert.match(d.status.message ?? '', /RUNNING/);
    assert.deepEqual(
      d.actions.map((a) => a.type),
      ['createJobHeadService'],
    );
    assert.equal(d.writeStatus, true);
  });

  test('a steady RUNNING pass writes nothing', () => {
    const first = whileRunning({ jobInfo: info('RUNNING') });
    const second = decide(
      input(
        rayJob({}, first.status),
        obs({ jobInfo: info('RUNNING'), jobHeadService: (first.actions[0] as { service: Service }).service }),
      ),
    );
    assert.equal(second.writeStatus, false);
    assert.deepEqual(second.actions, []);
  });

  test('Ray job SUCCEEDED but the submitter not finished: stays Running', () => {
    const d = whileRunning({ jobInfo: info('SUCCEEDED') });
    assert.equal(d.status.jobDeploymentStatus, 'Running');
    assert.equal(d.status.jobStatus, 'SUCCEEDED');
    assert.match(d.status.message ?? '', /waiting for the submitter/);
  });

  test('Ray job SUCCEEDED and the Job complete: Complete, succeeded=1, endTime set', () => {
    const now = T0 + sec(5);
    const d = whileRunning(
      { submitterJob: submitterJob('job', 'Complete', now), jobInfo: info('SUCCEEDED') },
      now,
    );
    assert.equal(d.status.jobDeploymentStatus, 'Complete');
    assert.equal(d.status.reason, '');
    assert.equal(d.status.succeeded, 1);
    assert.equal(d.status.endTime, toTime(now));
    assert.equal(d.finishedAttempt, true);
  });

  test('Ray job STOPPED counts as Complete but not as succeeded', () => {
    const d = whileRunning({ submitterJob: submitterJob('job', 'Complete'), jobInfo: info('STOPPED') });
    assert.equal(d.status.jobDeploymentStatus, 'Complete');
    assert.equal(d.status.succeeded, 0);
  });

  test('Ray job FAILED and the Job complete: Failed/AppFailed', () => {
    const d = whileRunning({ submitterJob: submitterJob('job', 'Complete'), jobInfo: info('FAILED') });
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
    assert.equal(d.status.reason, 'AppFailed');
    assert.equal(d.status.failed, 1);
  });

  test('submitter Job Failed: SubmissionFailed with the Job condition in the message', () => {
    const d = whileRunning({ submitterJob: submitterJob('job', 'Failed'), jobInfo: info('RUNNING') });
    assert.equal(d.status.reason, 'SubmissionFailed');
    assert.equal(d.status.message, 'Job submission has failed. Reason: BackoffLimitExceeded. Message: boom');
  });

  test("submitter Job Failed after the Ray job FAILED: AppFailed, keeping the Ray job's message", () => {
    const rayMessage = 'Job entrypoint command failed with exit code 1, last available logs: boom';
    const d = decide(
      input(
        rayJob({}, runningStatus({ jobStatus: 'FAILED', message: rayMessage })),
        obs({ submitterJob: submitterJob('job', 'Failed'), jobInfo: info('FAILED', { message: 'later' }) }),
      ),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
    assert.equal(d.status.reason, 'AppFailed');
    assert.equal(d.status.message, rayMessage);
  });

  test('submitter finished 30 s ago, Ray job not terminal: Failed with jobStatus FAILED', () => {
    const d = whileRunning(
      { submitterJob: submitterJob('job', 'Complete', T0), jobInfo: info('RUNNING') },
      T0 + sec(30),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
    assert.equal(d.status.jobStatus, 'FAILED');
    assert.equal(d.status.reason, 'JobDeploymentStatusTransitionGracePeriodExceeded');
  });

  test('Ray job not found: waits while the submitter runs; fails once it finished', () => {
    const waiting = whileRunning({ jobInfo: { kind: 'notFound' } });
    assert.equal(waiting.status.jobDeploymentStatus, 'Running');
    assert.match(waiting.status.message ?? '', /Waiting for the submitter/);
    const done = whileRunning({
      submitterJob: submitterJob('job', 'Complete'),
      jobInfo: { kind: 'notFound' },
    });
    assert.equal(done.status.reason, 'AppFailed');
    assert.equal(done.status.message, 'Submitter completed but Ray job not found in RayCluster.');
  });

  test('dashboard errors start the status-check timer once; the timeout fails the job without retry', () => {
    const d = whileRunning({ jobInfo: { kind: 'error', message: 'ECONNREFUSED' } }, T0 + sec(10));
    assert.equal(d.status.jobStatusCheckFailureStartTime, toTime(T0 + sec(10)));
    assert.equal(d.writeStatus, true);
    const later = decide(
      input(rayJob({}, d.status), obs({ jobInfo: { kind: 'error', message: 'x' } }), T0 + sec(20)),
    );
    assert.equal(later.status.jobStatusCheckFailureStartTime, toTime(T0 + sec(10)));
    const timeout = decide(input(rayJob({ backoffLimit: 3 }, d.status), obs(), T0 + sec(10) + sec(300)));
    assert.equal(timeout.status.jobDeploymentStatus, 'Failed');
    assert.equal(timeout.status.reason, 'JobStatusCheckTimeoutExceeded');
    const ok = decide(input(rayJob({}, d.status), obs({ jobInfo: info('RUNNING') }), T0 + sec(30)));
    assert.equal(ok.status.jobStatusCheckFailureStartTime, undefined);
  });

  test('transition grace period: terminal Ray job stuck in Running is forced terminal', () => {
    const s = runningStatus({ jobStatus: 'SUCCEEDED', rayJobInfo: { endTime: toTime(T0) } });
    const d = decide(input(rayJob({}, s), obs(), T0 + sec(300), { transitionGracePeriodSeconds: 300 }));
    assert.equal(d.status.jobDeploymentStatus, 'Complete');
    assert.equal(d.status.reason, 'JobDeploymentStatusTransitionGracePeriodExceeded');
    assert.equal(
      d.status.message,
      'JobDeploymentStatus does not transition to Complete or Failed within the grace period after JobStatus reaches a terminal state.',
    );
    const f = decide(input(rayJob({}, { ...s, jobStatus: 'FAILED' }), obs(), T0 + sec(300)));
    assert.equal(f.status.jobDeploymentStatus, 'Failed');
    assert.equal(f.status.reason, 'JobDeploymentStatusTransitionGracePeriodExceeded');
    assert.equal(f.status.message, d.status.message);
  });

  test('suspend and active deadline win over everything else', () => {
    assert.equal(
      decide(input(rayJob({ suspend: true }, runningStatus()), obs())).status.jobDeploymentStatus,
      'Suspending',
    );
    const dl = decide(
      input(
        rayJob({ activeDeadlineSeconds: 5 }, runningStatus()),
        obs({ jobInfo: info('RUNNING') }),
        T0 + sec(5),
      ),
    );
    assert.equal(dl.status.reason, 'DeadlineExceeded');
  });

  test('the job head Service is re-pointed when the cluster changes', () => {
    const stale = headService('job-old');
    stale.spec!.selector = { 'ray.io/cluster': 'job-old' };
    const d = whileRunning({ jobHeadService: stale, jobInfo: info('RUNNING') });
    const upd = d.actions.find((a) => a.type === 'updateJobHeadService') as Extract<
      Action,
      { type: 'updateJobHeadService' }
    >;
    assert.equal(upd.service.spec?.selector?.['ray.io/cluster'], 'job-xyzwv');
  });
});

describe('the job head Service selector (KubeRay copies the head Service selector: five keys)', () => {
  const kuberaySelector = {
    'ray.io/cluster': 'job-xyzwv',
    'ray.io/node-type': 'head',
    'ray.io/identifier': 'job-xyzwv-head',
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  };
  const run = (jobHeadService: Observed['jobHeadService']) =>
    whileRunning({ jobHeadService, jobInfo: info('RUNNING') }).actions;

  test('a new Service gets the five-key selector', () => {
    const created = run(null).find((a) => a.type === 'createJobHeadService') as Extract<
      Action,
      { type: 'createJobHeadService' }
    >;
    assert.deepEqual(created.service.spec?.selector, kuberaySelector);
    assert.equal(created.service.metadata?.labels?.['ray.io/identifier'], 'job-head');
  });

  test("annotations: a custom headService's, not the cluster's headServiceAnnotations (as KubeRay)", () => {
    const created = (c: RayCluster) => {
      const svc = headService('job-xyzwv');
      svc.metadata!.annotations = { ...c.spec.headServiceAnnotations };
      const a = whileRunning({
        cluster: c,
        clusterHeadService: svc,
        jobHeadService: null,
        jobInfo: info('RUNNING'),
      }).actions.find((x) => x.type === 'createJobHeadService') as Extract<
        Action,
        { type: 'createJobHeadService' }
      >;
      return a.service.metadata?.annotations;
    };
    const c = cluster('job-xyzwv');
    c.spec.headServiceAnnotations = { 'lb.example.com/internal': 'true' };
    assert.equal(created(c), undefined, "the cluster's own head Service has them, the RayJob's does not");
    c.spec.headGroupSpec.headService = { metadata: { annotations: { 'custom.example.com/a': '1' } } };
    assert.deepEqual(created(c), { 'custom.example.com/a': '1' });
  });

  test("KubeRay's Service is left alone; a three-key one (older kuberay-ts) is converged", () => {
    const theirs = headService('job');
    theirs.spec!.selector = { ...kuberaySelector };
    assert.deepEqual(run(theirs), []);
    const old = headService('job');
    old.spec!.selector = {
      'ray.io/cluster': 'job-xyzwv',
      'ray.io/node-type': 'head',
      'ray.io/identifier': 'job-xyzwv-head',
    };
    const upd = run(old).find((a) => a.type === 'updateJobHeadService') as Extract<
      Action,
      { type: 'updateJobHeadService' }
    >;
    assert.deepEqual(upd.service.spec?.selector, kuberaySelector);
  });
});

describe('Running, HTTPMode', () => {
  test('not found: submits with the Ray JSON body', () => {
    const job = rayJob(
      {
        submissionMode: 'HTTPMode',
        runtimeEnvYAML: 'pip:\n  - requests\nenv_vars:\n  A: "1"\n',
        metadata: { k: 'v' },
        entrypointNumCpus: 1,
        entrypointResources: '{"r": 2}',
      },
      runningStatus(),
    );
    const d = decide(input(job, obs({ submitterJob: undefined, jobInfo: { kind: 'notFound' } })));
    const sub = d.actions.find((a) => a.type === 'submitHttpJob') as Extract<
      Action,
      { type: 'submitHttpJob' }
    >;
    assert.deepEqual(sub.request, {
      entrypoint: 'python /home/ray/samples/sample_code.py',
      submission_id: 'job-abcde',
      runtime_env: { pip: ['requests'], env_vars: { A: '1' } },
      metadata: { k: 'v' },
      entrypoint_num_cpus: 1,
      entrypoint_resources: { r: 2 },
    });
    assert.equal(d.status.jobDeploymentStatus, 'Running');
  });

  test('bad entrypointResources: the submission action carries the error', () => {
    const job = rayJob({ submissionMode: 'HTTPMode', entrypointResources: '{bad' }, runningStatus());
    const d = decide(input(job, obs({ jobInfo: { kind: 'notFound' } })));
    const sub = d.actions.find((a) => a.type === 'submitHttpJob') as Extract<
      Action,
      { type: 'submitHttpJob' }
    >;
    assert.ok(sub.request instanceof Error);
  });

  test('SUCCEEDED is terminal without any submitter', () => {
    const d = decide(
      input(
        rayJob({ submissionMode: 'HTTPMode' }, runningStatus()),
        obs({ submitterJob: undefined, jobInfo: info('SUCCEEDED') }),
      ),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Complete');
  });
});

describe('Running, SidecarMode', () => {
  // Partial pods (no spec): the machine reads only their container statuses.
  const pod = (terminated?: { exitCode: number; finishedAt: string; reason?: string }) =>
    ({
      metadata: { name: 'head' },
      status: {
        containerStatuses: [
          {
            name: 'ray-job-submitter',
            ready: false,
            restartCount: 0,
            state: terminated ? { terminated } : { running: {} },
          },
        ],
      },
    }) as Pod;
  test('no head pod: Failed/AppFailed', () => {
    const d = decide(
      input(rayJob({ submissionMode: 'SidecarMode' }, runningStatus()), obs({ headPods: [] })),
    );
    assert.equal(d.status.message, 'Ray head pod not found.');
  });
  test('submitter container exit 1: SubmissionFailed; exit 0 and SUCCEEDED: Complete', () => {
    const bad = decide(
      input(
        rayJob({ submissionMode: 'SidecarMode' }, runningStatus()),
        obs({
          headPods: [pod({ exitCode: 1, finishedAt: toTime(T0), reason: 'Error' })],
          jobInfo: info('RUNNING'),
        }),
      ),
    );
    assert.equal(bad.status.reason, 'SubmissionFailed');
    const good = decide(
      input(
        rayJob({ submissionMode: 'SidecarMode' }, runningStatus()),
        obs({ headPods: [pod({ exitCode: 0, finishedAt: toTime(T0) })], jobInfo: info('SUCCEEDED') }),
      ),
    );
    assert.equal(good.status.jobDeploymentStatus, 'Complete');
  });

  test("submitter container exit 1 after the Ray job FAILED: AppFailed, keeping the Ray job's message", () => {
    const rayMessage = 'Job entrypoint command failed with exit code 1, last available logs: boom';
    const d = decide(
      input(
        rayJob(
          { submissionMode: 'SidecarMode' },
          runningStatus({ jobStatus: 'FAILED', message: rayMessage }),
        ),
        obs({
          headPods: [pod({ exitCode: 1, finishedAt: toTime(T0), reason: 'Error' })],
          jobInfo: info('FAILED', { message: 'later' }),
        }),
      ),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
    assert.equal(d.status.reason, 'AppFailed');
    assert.equal(d.status.message, rayMessage);
  });

  test('with SidecarSubmitterRestart: a failure only after restartCount reaches submitterConfig.backoffLimit', () => {
    const restarted = (restartCount: number) =>
      ({
        metadata: { name: 'head' },
        status: {
          containerStatuses: [
            {
              name: 'ray-job-submitter',
              ready: false,
              restartCount,
              lastState: { terminated: { exitCode: 1, reason: 'Error' } },
              state: { running: {} },
            },
          ],
        },
      }) as Pod;
    const job = rayJob({ submissionMode: 'SidecarMode' }, runningStatus());
    const cfg = { sidecarSubmitterRestart: true };
    const early = decide(input(job, obs({ headPods: [restarted(1)], jobInfo: info('RUNNING') }), T0, cfg));
    assert.equal(early.status.jobDeploymentStatus, 'Running');
    const late = decide(input(job, obs({ headPods: [restarted(2)], jobInfo: info('RUNNING') }), T0, cfg));
    assert.equal(late.status.jobDeploymentStatus, 'Failed');
    assert.equal(late.status.reason, 'SubmissionFailed');
  });
});
