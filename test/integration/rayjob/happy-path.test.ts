import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { pendingSubmitterTemplate, rayJobManifest, startHarness } from './harness.ts';

test('K8sJobMode happy path: Initializing -> Running -> Complete, then shutdownAfterJobFinishes deletes only the cluster', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'happy', {
      shutdownAfterJobFinishes: true,
      submitterPodTemplate: pendingSubmitterTemplate,
    }),
  );

  const init = await h.waitFor('happy', (rj) => {
    assert.equal(rj.status?.jobDeploymentStatus, 'Initializing');
    assert.ok(rj.status?.rayClusterName && rj.status.jobId && rj.status.startTime);
  });
  const clusterName = init.status!.rayClusterName!;
  assert.match(clusterName, /^happy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.ok(init.metadata.finalizers?.includes('ray.io/rayjob-finalizer'));

  const cluster = await eventually(async () => {
    const c = await h.getCluster(clusterName);
    assert.ok(c);
    return c;
  });
  assert.equal(cluster.spec.workerGroupSpecs?.[0]?.replicas, 3);
  assert.equal(cluster.spec.rayVersion, '2.46.0');
  assert.equal(cluster.metadata.labels?.['ray.io/originated-from-cr-name'], 'happy');
  assert.equal(cluster.metadata.labels?.['ray.io/originated-from-crd'], 'RayJob');
  assert.deepEqual(cluster.metadata.annotations, { 'example.com/note': 'hello' });

  // Not ready yet: conditions are mirrored and the message says what it waits for.
  await h.kube.patchStatus(Resources.rayClusters, h.ns, clusterName, {
    status: {
      conditions: [
        {
          type: 'HeadPodReady',
          status: 'False',
          reason: 'HeadPodNotFound',
          message: 'no head',
          lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      ],
    },
  });
  await h.waitFor('happy', (rj) => {
    assert.equal(rj.status?.rayClusterStatus?.conditions?.[0]?.type, 'HeadPodReady');
    assert.match(rj.status?.message ?? '', /Waiting for RayCluster/);
  });

  await h.makeClusterReady(clusterName);
  const running = await h.waitFor('happy', (rj) => assert.equal(rj.status?.jobDeploymentStatus, 'Running'));
  assert.equal(running.status?.dashboardURL, `${clusterName}-head-svc.${h.ns}.svc.cluster.local:8265`);
  const job = await h.kube.get(Resources.jobs, h.ns, 'happy');
  assert.equal((job.spec as { backoffLimit: number }).backoffLimit, 2);

  // The Ray job succeeds but the submitter has not finished: stays Running.
  h.dashboard.setJob(running.status!.jobId!, {
    status: 'SUCCEEDED',
    start_time: Date.now() - 1000,
    end_time: Date.now(),
  });
  const seen = await h.waitFor('happy', (rj) => assert.equal(rj.status?.jobStatus, 'SUCCEEDED'));
  const callsBefore = h.dashboard.callsOf('getJobInfo').length;
  await eventually(() => assert.ok(h.dashboard.callsOf('getJobInfo').length >= callsBefore + 3));
  const steady = await h.getRayJob('happy');
  assert.equal(steady.status?.jobDeploymentStatus, 'Running');
  assert.match(steady.status?.message ?? '', /waiting for the submitter/);
  // Steady state: several passes later, neither the RayJob nor its cluster was written again.
  assert.equal(
    steady.metadata.resourceVersion,
    seen.metadata.resourceVersion,
    'no status writes at steady state',
  );

  await h.finishSubmitter('happy', 'Complete');
  const done = await h.waitFor('happy', (rj) => assert.equal(rj.status?.jobDeploymentStatus, 'Complete'));
  assert.equal(done.status?.succeeded, 1);
  assert.ok(done.status?.endTime);

  await eventually(async () => assert.equal(await h.getCluster(clusterName), undefined));
  assert.ok(await h.kube.getOrUndefined(Resources.jobs, h.ns, 'happy'), 'the submitter Job is kept');
  const reasons = (await h.events()).map((e) => e.reason);
  assert.ok(reasons.includes('CreatedRayCluster'));
  assert.ok(reasons.includes('CreatedRayJobSubmitter'));
  assert.ok(reasons.includes('DeletedRayCluster'));
});
