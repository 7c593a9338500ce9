import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayJob } from '../../../src/api/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { type Harness, pendingSubmitterTemplate, rayJobManifest, startHarness } from './harness.ts';

async function toRunning(h: Harness, name: string): Promise<RayJob> {
  const rj = await h.waitFor(name, (r) => assert.ok(r.status?.rayClusterName), 30_000);
  await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)));
  await h.makeClusterReady(rj.status!.rayClusterName!);
  return h.waitFor(name, (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
}

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

test('an unreachable dashboard persists jobStatusCheckFailureStartTime (K8sJobMode and HTTPMode); 10 minutes of it fails the job', async (t) => {
  const h = await startHarness(t);
  h.dashboard.unreachable = true;
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'k8s', { submitterPodTemplate: pendingSubmitterTemplate, backoffLimit: 2 }),
  );
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'http', { submissionMode: 'HTTPMode' }));
  await toRunning(h, 'k8s');
  await toRunning(h, 'http');
  for (const name of ['k8s', 'http'])
    await h.waitFor(name, (r) => {
      assert.ok(r.status?.jobStatusCheckFailureStartTime, `${name}: timer persisted`);
      assert.match(r.status?.message ?? '', /ECONNREFUSED/);
    });
  // Pretend the failures began 10 minutes ago: the 300 s timeout fires, and no retry despite backoffLimit.
  // Read and write again on a conflict: the operator writes this status between the two.
  await eventually(async () => {
    const rj = await h.getRayJob('k8s');
    await h.kube.updateStatus(Resources.rayJobs, {
      ...(rj as never as { metadata: object }),
      status: { ...rj.status, jobStatusCheckFailureStartTime: secondsAgo(600) },
    } as never);
  });
  const failed = await h.waitFor('k8s', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Failed'));
  assert.equal(failed.status?.reason, 'JobStatusCheckTimeoutExceeded');
});

test('HTTPMode with RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS=1 fails on its own when the dashboard stays down', async (t) => {
  const h = await startHarness(t, { statusCheckTimeoutSeconds: 1 });
  h.dashboard.unreachable = true;
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'http', { submissionMode: 'HTTPMode' }));
  // Not toRunning: with a 1 s timeout the job may pass through Running faster than a poll sees it.
  const rj = await h.waitFor('http', (r) => assert.ok(r.status?.rayClusterName), 30_000);
  await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)));
  await h.makeClusterReady(rj.status!.rayClusterName!);
  const failed = await h.waitFor(
    'http',
    (r) => assert.equal(r.status?.jobDeploymentStatus, 'Failed'),
    30_000,
  );
  assert.equal(failed.status?.reason, 'JobStatusCheckTimeoutExceeded');
  // The timeout is only checked in Running, and its message names the timer that Running started.
  assert.match(failed.status?.message ?? '', /gave up after 1 seconds/);
  assert.ok(failed.status?.jobStatusCheckFailureStartTime, 'the failure timer was persisted');
});

test('HTTPMode recovery: a failed submission starts the timer, a successful resubmission clears it and the job keeps running', async (t) => {
  const h = await startHarness(t);
  h.dashboard.failNextSubmit = new Error('dashboard not ready');
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'http', { submissionMode: 'HTTPMode' }));
  const rj = await toRunning(h, 'http');
  await h.waitFor('http', (r) => {
    assert.equal(r.status?.jobStatusCheckFailureStartTime, undefined);
    assert.equal(r.status?.jobStatus, 'PENDING');
  });
  assert.equal(h.dashboard.callsOf('submitJob').length, 2, 'one failed submission, one that worked');
  assert.equal(h.dashboard.submissions[0]?.submission_id, rj.status?.jobId);
  assert.equal(h.dashboard.submissions[0]?.entrypoint, 'python /home/ray/samples/sample_code.py');
  h.dashboard.setJob(rj.status!.jobId!, { status: 'RUNNING' });
  const running = await h.waitFor('http', (r) => assert.equal(r.status?.jobStatus, 'RUNNING'));
  assert.equal(running.status?.jobDeploymentStatus, 'Running');
  h.dashboard.setJob(rj.status!.jobId!, { status: 'SUCCEEDED', end_time: Date.now() });
  await h.waitFor('http', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Complete'));
});
