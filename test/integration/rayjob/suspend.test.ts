import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { consistently, rayJobManifest, startHarness } from './harness.ts';

test('created suspended: Suspended with no cluster; resumed: cluster, no submitter until ready, then dashboard URL and Job', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'kueue', { suspend: true, shutdownAfterJobFinishes: true }),
  );
  const suspended = await h.waitFor('kueue', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Suspended'));
  assert.equal(suspended.status?.rayClusterName ?? '', '');
  const clusters = await h.kube.list(Resources.rayClusters, { namespace: h.ns });
  assert.equal(clusters.items.length, 0);

  await h.kube.patch(Resources.rayJobs, h.ns, 'kueue', { spec: { suspend: false } });
  const init = await h.waitFor('kueue', (r) => {
    assert.equal(r.status?.jobDeploymentStatus, 'Initializing');
    assert.ok(r.status?.rayClusterName);
  });
  const name = init.status!.rayClusterName!;
  await eventually(async () => assert.ok(await h.getCluster(name)));
  assert.equal(
    await h.kube.getOrUndefined(Resources.jobs, h.ns, 'kueue'),
    undefined,
    'no submitter before the cluster is ready',
  );
  await h.makeClusterReady(name);
  const running = await h.waitFor('kueue', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
  assert.ok(running.status?.dashboardURL?.startsWith('kueue-'));
  await eventually(() => h.kube.get(Resources.jobs, h.ns, 'kueue'));
});

test('suspend is atomic: a cluster held by a finalizer keeps the job Suspending, even when suspend flips back and forth', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'atomic', { shutdownAfterJobFinishes: true }));
  const init = await h.waitFor('atomic', (r) => assert.ok(r.status?.rayClusterName));
  const name = init.status!.rayClusterName!;
  await eventually(async () => assert.ok(await h.getCluster(name)));
  await h.kube.patch(Resources.rayClusters, h.ns, name, {
    metadata: { finalizers: ['kuberay-ts.test/hold'] },
  });
  await h.kube.patch(Resources.rayJobs, h.ns, 'atomic', { spec: { suspend: true } });
  await h.waitFor('atomic', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Suspending'));
  await eventually(async () => assert.ok((await h.getCluster(name))?.metadata.deletionTimestamp));
  await h.kube.patch(Resources.rayJobs, h.ns, 'atomic', { spec: { suspend: false } });
  // Several passes (the requeue is 300 ms here) must all keep Suspending.
  await consistently(async () => {
    assert.equal((await h.getRayJob('atomic')).status?.jobDeploymentStatus, 'Suspending');
  }, 1500);
  await h.kube.patch(Resources.rayJobs, h.ns, 'atomic', { spec: { suspend: true } });
  assert.equal((await h.getRayJob('atomic')).status?.jobDeploymentStatus, 'Suspending');
  await h.kube.patch(Resources.rayClusters, h.ns, name, { metadata: { finalizers: null } });
  const done = await h.waitFor('atomic', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Suspended'));
  assert.equal(done.status?.rayClusterName ?? '', '');
});
