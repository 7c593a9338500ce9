import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRayJobConfig } from './config.ts';
import { cluster, headService, input, rayJob, runningStatus, T0 } from './fixtures.test-support.ts';
import { decide } from './machine.ts';
import { toTime } from './status.ts';
import type { Action } from './types.ts';
import { validateRayJob } from './validation.ts';

const volcano = { batchScheduler: 'volcano' };
const types = (actions: readonly Action[]) => actions.map((a) => a.type);
const init = {
  jobDeploymentStatus: 'Initializing',
  jobStatus: '',
  jobId: 'job-abcde',
  rayClusterName: 'job-xyzwv',
  startTime: toTime(T0),
};

test('Initializing with volcano: the RayJob PodGroup is applied before the cluster is created', () => {
  const d = decide(input(rayJob({}, init), { cluster: null }, T0, volcano));
  assert.deepEqual(types(d.actions), ['applyPodGroup', 'createCluster']);
  const pg = (d.actions[0] as Extract<Action, { type: 'applyPodGroup' }>).podGroup;
  assert.equal(pg.metadata.name, 'ray-job-pg');
  assert.equal((pg.spec as { minMember: number }).minMember, 4);
  // No scheduler, or clusterSelector: no PodGroup.
  assert.deepEqual(types(decide(input(rayJob({}, init), { cluster: null })).actions), ['createCluster']);
  const sel = rayJob({ clusterSelector: { 'ray.io/cluster': 'job-xyzwv' } }, init);
  assert.deepEqual(types(decide(input(sel, { cluster: null }, T0, volcano)).actions), ['event']);
});

test('Initializing with volcano: the submitter Job pod joins the PodGroup', () => {
  const d = decide(
    input(
      rayJob({}, init),
      { cluster: cluster('job-xyzwv'), clusterHeadService: headService('job-xyzwv'), submitterJob: null },
      T0,
      volcano,
    ),
  );
  const create = d.actions.find((a) => a.type === 'createSubmitterJob') as Extract<
    Action,
    { type: 'createSubmitterJob' }
  >;
  assert.equal(create.job.spec?.template.spec?.schedulerName, 'volcano');
  assert.equal(
    create.job.spec?.template.metadata?.annotations?.['scheduling.k8s.io/group-name'],
    'ray-job-pg',
  );
});

test('terminal states shrink the PodGroup on every pass: to the live cluster, or to nothing', () => {
  const done = rayJob(
    {},
    runningStatus({ jobDeploymentStatus: 'Complete', jobStatus: 'SUCCEEDED', endTime: toTime(T0) }),
  );
  const live = decide(input(done, { cluster: cluster('job-xyzwv') }, T0, volcano));
  const shrink = live.actions.find((a) => a.type === 'shrinkPodGroup') as Extract<
    Action,
    { type: 'shrinkPodGroup' }
  >;
  assert.equal(shrink.name, 'ray-job-pg');
  assert.equal(shrink.shape.minMember, 1, 'the fixture cluster: a head and a worker group without replicas');
  const gone = decide(input(done, { cluster: null }, T0, volcano));
  assert.deepEqual(
    gone.actions.filter((a) => a.type === 'shrinkPodGroup').map((a) => (a as typeof shrink).shape),
    [{ minMember: 0, minResources: {} }],
  );
  assert.equal(
    decide(input(done, { cluster: null })).actions.filter((a) => a.type === 'shrinkPodGroup').length,
    0,
  );
});

test('Retrying: the PodGroup shrinks once the cluster and submitter are gone, not before', () => {
  const retrying = rayJob({ backoffLimit: 2 }, runningStatus({ jobDeploymentStatus: 'Retrying' }));
  const waiting = decide(input(retrying, { cluster: cluster('job-xyzwv'), submitterJob: null }, T0, volcano));
  assert.deepEqual(types(waiting.actions), ['deleteCluster']);
  const cleared = decide(input(retrying, { cluster: null, submitterJob: null }, T0, volcano));
  assert.deepEqual(types(cleared.actions), ['shrinkPodGroup']);
  assert.equal(cleared.status.jobDeploymentStatus, '', 'New');
});

test('kai-scheduler rejects K8sJobMode (the default) with a message naming the field; other modes pass', () => {
  const kai = { ...defaultRayJobConfig, batchScheduler: 'kai-scheduler' };
  const invalid = validateRayJob(rayJob(), kai);
  assert.equal(invalid?.reason, 'InvalidRayJobSpec');
  assert.match(
    invalid?.message ?? '',
    /spec.submissionMode: the kai-scheduler batch scheduler does not support K8sJobMode/,
  );
  assert.equal(validateRayJob(rayJob({ submissionMode: 'HTTPMode' }), kai), undefined);
  assert.equal(validateRayJob(rayJob(), { ...defaultRayJobConfig, batchScheduler: 'volcano' }), undefined);
});
