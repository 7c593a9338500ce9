import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayJob } from '../../../src/api/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { type Harness, pendingSubmitterTemplate, rayJobManifest, startHarness } from './harness.ts';

async function readyCluster(h: Harness, name: string): Promise<RayJob> {
  const rj = await h.waitFor(name, (r) =>
    assert.ok(r.status?.rayClusterName && r.status.jobDeploymentStatus === 'Initializing'),
  );
  await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)));
  await h.makeClusterReady(rj.status!.rayClusterName!);
  return h.waitFor(name, (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
}

test('DELETE_RAYJOB_CR_AFTER_JOB_FINISHES: the RayJob itself is deleted after Complete', async (t) => {
  const h = await startHarness(t, { deleteRayJobAfterJobFinishes: true });
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'selfdelete', { shutdownAfterJobFinishes: true }),
  );
  const rj = await h.waitFor('selfdelete', (r) => assert.ok(r.status?.jobId && r.status.rayClusterName));
  h.dashboard.setJob(rj.status!.jobId!, { status: 'SUCCEEDED' });
  await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)));
  await h.makeClusterReady(rj.status!.rayClusterName!);
  await eventually(
    async () => assert.equal(await h.kube.getOrUndefined(Resources.rayJobs, h.ns, 'selfdelete'), undefined),
    { timeoutMs: 30_000 },
  );
});

test('activeDeadlineSeconds=3 with a cluster that never gets ready: Initializing -> Failed/DeadlineExceeded', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'deadline', { activeDeadlineSeconds: 3 }));
  const rj = await h.waitFor(
    'deadline',
    (r) => assert.equal(r.status?.jobDeploymentStatus, 'Failed'),
    30_000,
  );
  assert.equal(rj.status?.reason, 'DeadlineExceeded');
  assert.ok(rj.status?.endTime);
});

test('backoffLimit=1: a failed attempt retries on a new cluster; the second succeeds (succeeded=1, failed=1)', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'retry', { backoffLimit: 1, submitterPodTemplate: pendingSubmitterTemplate }),
  );
  const first = await readyCluster(h, 'retry');
  const firstCluster = first.status!.rayClusterName!;
  h.dashboard.setJob(first.status!.jobId!, { status: 'FAILED', message: 'boom' });
  await eventually(() => h.kube.get(Resources.jobs, h.ns, 'retry'));
  await h.finishSubmitter('retry', 'Complete');
  const second = await h.waitFor(
    'retry',
    (r) => {
      assert.ok(r.status?.rayClusterName && r.status.rayClusterName !== firstCluster);
      assert.equal(r.status.jobDeploymentStatus, 'Initializing');
    },
    30_000,
  );
  assert.equal(second.status?.failed, 1);
  assert.equal(await h.getCluster(firstCluster), undefined, 'the old cluster is deleted');
  assert.equal(
    await h.kube.getOrUndefined(Resources.jobs, h.ns, 'retry'),
    undefined,
    'the old submitter is deleted',
  );
  await eventually(async () => assert.ok(await h.getCluster(second.status!.rayClusterName!)));
  h.dashboard.setJob(second.status!.jobId!, { status: 'SUCCEEDED' });
  await h.makeClusterReady(second.status!.rayClusterName!);
  await h.waitFor('retry', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
  await eventually(() => h.kube.get(Resources.jobs, h.ns, 'retry'));
  await h.finishSubmitter('retry', 'Complete');
  const done = await h.waitFor('retry', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Complete'));
  assert.equal(done.status?.succeeded, 1);
  assert.equal(done.status?.failed, 1);
});

test('InteractiveMode: Waiting once the cluster is ready; setting spec.jobId -> Running with that id', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'interactive', { submissionMode: 'InteractiveMode' }),
  );
  const rj = await h.waitFor('interactive', (r) => assert.ok(r.status?.rayClusterName));
  assert.equal(rj.status?.jobId ?? '', '');
  await eventually(async () => assert.ok(await h.getCluster(rj.status!.rayClusterName!)));
  await h.makeClusterReady(rj.status!.rayClusterName!);
  await h.waitFor('interactive', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Waiting'));
  h.dashboard.setJob('my-own-id', { status: 'RUNNING' });
  await h.kube.patch(Resources.rayJobs, h.ns, 'interactive', { spec: { jobId: 'my-own-id' } });
  const running = await h.waitFor('interactive', (r) =>
    assert.equal(r.status?.jobDeploymentStatus, 'Running'),
  );
  assert.equal(running.status?.jobId, 'my-own-id');
  assert.equal(
    await h.kube.getOrUndefined(Resources.jobs, h.ns, 'interactive'),
    undefined,
    'no submitter Job',
  );
});

test('deleting a running RayJob stops its Ray job, then the finalizer goes', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'stopme', { submissionMode: 'HTTPMode' }));
  const rj = await readyCluster(h, 'stopme');
  await eventually(() => assert.equal(h.dashboard.jobs.get(rj.status!.jobId!)?.status, 'PENDING'));
  h.dashboard.setJob(rj.status!.jobId!, { status: 'RUNNING' });
  await h.waitFor('stopme', (r) => assert.equal(r.status?.jobStatus, 'RUNNING'));
  await h.kube.delete(Resources.rayJobs, h.ns, 'stopme');
  await eventually(async () =>
    assert.equal(await h.kube.getOrUndefined(Resources.rayJobs, h.ns, 'stopme'), undefined),
  );
  // A stale cache may run the finalizer twice; every stop is for this job.
  assert.deepEqual([...new Set(h.dashboard.callsOf('stopJob').map((c) => c.args[0]))], [rj.status!.jobId]);
  assert.equal(h.dashboard.jobs.get(rj.status!.jobId!)?.status, 'STOPPED');
});
