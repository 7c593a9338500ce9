import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from '../../api/index.ts';
import { cluster, headService, input, rayJob, sec, submitterJob, T0 } from './fixtures.test-support.ts';
import { decide } from './machine.ts';
import { toTime } from './status.ts';
import type { Action } from './types.ts';

const types = (actions: readonly Action[]) => actions.map((a) => a.type);

describe('New', () => {
  test('adds the finalizer, names the cluster and job id, sets startTime, goes to Initializing', () => {
    const job = rayJob();
    job.metadata.finalizers = [];
    const d = decide(input(job));
    assert.deepEqual(types(d.actions), ['addFinalizer']);
    assert.equal(d.status.jobDeploymentStatus, 'Initializing');
    assert.equal(d.status.jobId, 'job-abcde');
    assert.equal(d.status.rayClusterName, 'job-xyzwv');
    assert.equal(d.status.jobStatus, '');
    assert.equal(d.status.startTime, toTime(T0));
    assert.equal(d.writeStatus, true);
    assert.equal(d.requeueAfterMs, 3000);
    assert.match(d.status.message ?? '', /job-xyzwv/);
  });

  test('spec.jobId and clusterSelector are taken as given; InteractiveMode leaves jobId empty', () => {
    const d = decide(input(rayJob({ jobId: 'mine', clusterSelector: { 'ray.io/cluster': 'shared' } })));
    assert.equal(d.status.jobId, 'mine');
    assert.equal(d.status.rayClusterName, 'shared');
    const i = decide(input(rayJob({ submissionMode: 'InteractiveMode' })));
    assert.equal(i.status.jobId, undefined);
  });

  test('created suspended: straight to Suspended without naming a cluster', () => {
    const d = decide(input(rayJob({ suspend: true, shutdownAfterJobFinishes: true })));
    assert.equal(d.status.jobDeploymentStatus, 'Suspended');
    assert.equal(d.status.rayClusterName, undefined);
  });
});

describe('Initializing', () => {
  const init = (extra = {}) => ({
    jobDeploymentStatus: 'Initializing',
    jobStatus: '',
    jobId: 'job-abcde',
    rayClusterName: 'job-xyzwv',
    startTime: toTime(T0),
    ...extra,
  });

  test('creates the RayCluster when it is missing and says so', () => {
    const d = decide(input(rayJob({}, init()), { cluster: null }));
    assert.deepEqual(types(d.actions), ['createCluster']);
    const created = (d.actions[0] as Extract<Action, { type: 'createCluster' }>).cluster;
    assert.equal(created.metadata.name, 'job-xyzwv');
    assert.equal(d.status.jobDeploymentStatus, 'Initializing');
    assert.match(d.status.message ?? '', /Creating RayCluster job-xyzwv/);
  });

  test('a not-ready cluster: its status is mirrored and the message says what we wait for', () => {
    const c = cluster('job-xyzwv', '');
    c.status!.conditions = [
      {
        type: 'HeadPodReady',
        status: 'False',
        reason: 'HeadPodNotFound',
        message: '',
        lastTransitionTime: toTime(T0),
      },
    ];
    const d = decide(input(rayJob({}, init()), { cluster: c }));
    assert.equal(d.status.jobDeploymentStatus, 'Initializing');
    assert.deepEqual(d.status.rayClusterStatus?.conditions, c.status!.conditions);
    assert.match(d.status.message ?? '', /Waiting for RayCluster job-xyzwv to become ready/);
    assert.equal(d.writeStatus, true);
  });

  test('SidecarMode, cluster not ready because the submitter container already ended: on to Running, then Failed with its exit', () => {
    // A partial pod (no spec): the machine reads only its container statuses.
    const headPod = (state: Record<string, unknown>) =>
      ({
        metadata: { name: 'job-xyzwv-head' },
        status: {
          containerStatuses: [
            { name: 'ray-head', ready: true, restartCount: 0, state: { running: {} } },
            { name: 'ray-job-submitter', ready: false, restartCount: 0, state },
          ],
        },
      }) as Pod;
    const job = rayJob({ submissionMode: 'SidecarMode' }, init());
    const notReady = cluster('job-xyzwv', '');
    // Still submitting: the head pod is not Ready yet for an ordinary reason, so we keep waiting.
    const waiting = decide(
      input(job, {
        cluster: notReady,
        clusterHeadService: headService('job-xyzwv'),
        headPods: [headPod({ running: {} })],
      }),
    );
    assert.equal(waiting.status.jobDeploymentStatus, 'Initializing');
    assert.match(waiting.status.message ?? '', /Waiting for RayCluster job-xyzwv to become ready/);
    // The submitter exited (the job failed within seconds): the cluster can never become ready.
    const ended = { terminated: { exitCode: 1, reason: 'Error', finishedAt: toTime(T0 + sec(20)) } };
    const moved = decide(
      input(job, {
        cluster: notReady,
        clusterHeadService: headService('job-xyzwv'),
        headPods: [headPod(ended)],
      }),
    );
    assert.equal(moved.status.jobDeploymentStatus, 'Running');
    assert.equal(moved.status.dashboardURL, 'job-xyzwv-head-svc.ns.svc.cluster.local:8265');
    // The next pass (Running) reads the container's exit and ends the RayJob with a reason.
    const failed = decide(
      input(rayJob({ submissionMode: 'SidecarMode' }, moved.status), {
        cluster: notReady,
        clusterHeadService: headService('job-xyzwv'),
        headPods: [headPod(ended)],
      }),
    );
    assert.equal(failed.status.jobDeploymentStatus, 'Failed');
    assert.equal(failed.status.reason, 'SubmissionFailed');
    assert.match(failed.status.message ?? '', /ray-job-submitter/);
  });

  test('ready cluster: dashboard URL, submitter Job, Running (K8sJobMode)', () => {
    const d = decide(
      input(rayJob({}, init()), {
        cluster: cluster('job-xyzwv'),
        clusterHeadService: headService('job-xyzwv'),
        submitterJob: null,
      }),
    );
    assert.equal(d.status.dashboardURL, 'job-xyzwv-head-svc.ns.svc.cluster.local:8265');
    assert.deepEqual(types(d.actions), ['createSubmitterJob']);
    assert.equal(d.status.jobDeploymentStatus, 'Running');
  });

  test('an existing submitter Job is not created again; HTTPMode creates none', () => {
    const obs = {
      cluster: cluster('job-xyzwv'),
      clusterHeadService: headService('job-xyzwv'),
      submitterJob: submitterJob('job'),
    };
    assert.deepEqual(types(decide(input(rayJob({}, init()), obs)).actions), []);
    const http = decide(
      input(rayJob({ submissionMode: 'HTTPMode' }, init()), { ...obs, submitterJob: undefined }),
    );
    assert.deepEqual(types(http.actions), []);
    assert.equal(http.status.jobDeploymentStatus, 'Running');
  });

  test('the head Service missing: stays Initializing and says so', () => {
    const d = decide(input(rayJob({}, init()), { cluster: cluster('job-xyzwv'), clusterHeadService: null }));
    assert.equal(d.status.jobDeploymentStatus, 'Initializing');
    assert.match(d.status.message ?? '', /head Service job-xyzwv-head-svc/);
  });

  test('InteractiveMode goes to Waiting once the cluster is ready', () => {
    const d = decide(
      input(rayJob({ submissionMode: 'InteractiveMode' }, init({ jobId: undefined })), {
        cluster: cluster('job-xyzwv'),
        clusterHeadService: headService('job-xyzwv'),
      }),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Waiting');
  });

  test('clusterSelector with a missing cluster: RayClusterNotFound warning, no creation', () => {
    const d = decide(
      input(rayJob({ clusterSelector: { 'ray.io/cluster': 'shared' } }, init({ rayClusterName: 'shared' })), {
        cluster: null,
      }),
    );
    assert.deepEqual(types(d.actions), ['event']);
    assert.equal((d.actions[0] as Extract<Action, { type: 'event' }>).reason, 'RayClusterNotFound');
  });

  test('suspend -> Suspending', () => {
    const d = decide(input(rayJob({ suspend: true }, init()), { cluster: cluster('job-xyzwv', '') }));
    assert.equal(d.status.jobDeploymentStatus, 'Suspending');
  });

  test('activeDeadlineSeconds passed -> Failed/DeadlineExceeded (no retry even with backoffLimit)', () => {
    const d = decide(
      input(
        rayJob({ activeDeadlineSeconds: 3, backoffLimit: 2 }, init()),
        { cluster: cluster('job-xyzwv', '') },
        T0 + sec(3),
      ),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
    assert.equal(d.status.reason, 'DeadlineExceeded');
    assert.equal(d.status.failed, 1);
    assert.equal(d.status.endTime, toTime(T0 + sec(3)));
    const early = decide(
      input(rayJob({ activeDeadlineSeconds: 3 }, init()), { cluster: cluster('job-xyzwv', '') }, T0 + sec(2)),
    );
    assert.equal(early.status.jobDeploymentStatus, 'Initializing');
  });

  test('preRunningDeadlineSeconds passed -> Failed/PreRunningDeadlineExceeded', () => {
    const d = decide(
      input(
        rayJob({ preRunningDeadlineSeconds: 10 }, init()),
        { cluster: cluster('job-xyzwv', '') },
        T0 + sec(10),
      ),
    );
    assert.equal(d.status.jobDeploymentStatus, 'Failed');
    assert.equal(d.status.reason, 'PreRunningDeadlineExceeded');
  });
});

describe('Waiting', () => {
  const waiting = {
    jobDeploymentStatus: 'Waiting',
    jobStatus: '',
    rayClusterName: 'job-xyzwv',
    startTime: toTime(T0),
  };
  test('without spec.jobId: requeue, no status change', () => {
    const d = decide(input(rayJob({ submissionMode: 'InteractiveMode' }, waiting)));
    assert.equal(d.writeStatus, false);
    assert.equal(d.requeueAfterMs, 3000);
  });
  test('spec.jobId set -> Running with that id', () => {
    const d = decide(input(rayJob({ submissionMode: 'InteractiveMode', jobId: 'theirs' }, waiting)));
    assert.equal(d.status.jobDeploymentStatus, 'Running');
    assert.equal(d.status.jobId, 'theirs');
  });
  test('pre-running deadline -> Failed', () => {
    const d = decide(
      input(
        rayJob({ submissionMode: 'InteractiveMode', preRunningDeadlineSeconds: 5 }, waiting),
        {},
        T0 + sec(6),
      ),
    );
    assert.equal(d.status.reason, 'PreRunningDeadlineExceeded');
  });
});
