import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayService } from '../../../src/api/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { type Harness, harness, newRayService } from './support.ts';

const cond = (rs: RayService, type: string) => rs.status?.conditions?.find((c) => c.type === type);

async function createActive(h: Harness, rs: RayService): Promise<string> {
  const name = rs.metadata.name!;
  await h.kube.create(Resources.rayServices, rs as never);
  const a = await eventually(async () => {
    await h.rec(name);
    const p = (await h.getRs(name)).status?.pendingServiceStatus?.rayClusterName;
    assert.ok(p && (await h.getCluster(p)));
    return p;
  });
  await h.makeClusterReady(a);
  await eventually(async () => {
    await h.rec(name);
    assert.equal((await h.getRs(name)).status?.activeServiceStatus?.rayClusterName, a);
  });
  return a;
}

test('an invalid spec: Ready=False/ValidationFailed, a Warning event, no cluster', async (t) => {
  const h = await harness(t);
  const rs = newRayService('rs-invalid', h.ns);
  rs.spec.rayClusterConfig.headGroupSpec.headService = { metadata: { name: 'custom-head' } };
  await h.kube.create(Resources.rayServices, rs as never);
  await eventually(async () => {
    await h.rec('rs-invalid');
    const got = await h.getRs('rs-invalid');
    assert.equal(cond(got, 'Ready')?.reason, 'ValidationFailed');
    assert.match(cond(got, 'Ready')!.message, /headService\.metadata\.name/);
  });
  await h.settle('rs-invalid', 3);
  const clusters = await h.kube.list(Resources.rayClusters, { namespace: h.ns });
  assert.equal(clusters.items.length, 0);
  await eventually(async () =>
    assert.ok((await h.eventReasons('rs-invalid')).includes('InvalidRayServiceSpec')),
  );

  // Fixed: it starts over from Initializing (not stuck at ValidationFailed) and creates its cluster.
  const fixed = await h.getRs('rs-invalid');
  delete fixed.spec.rayClusterConfig.headGroupSpec.headService;
  await h.kube.update(Resources.rayServices, fixed as never);
  await eventually(async () => {
    await h.rec('rs-invalid');
    const got = await h.getRs('rs-invalid');
    assert.equal(cond(got, 'Ready')?.reason, 'Initializing');
    assert.equal(cond(got, 'UpgradeInProgress')?.reason, 'Initializing');
    assert.equal(got.status?.serviceStatus ?? '', '');
    const p = got.status?.pendingServiceStatus?.rayClusterName;
    assert.ok(p && (await h.getCluster(p)), 'the pending cluster is created');
  });
});

test('suspend deletes clusters and services, resume starts over', async (t) => {
  const h = await harness(t);
  const a = await createActive(h, newRayService('rs-susp', h.ns));
  const cur = await h.getRs('rs-susp');
  cur.spec.suspend = true;
  await h.kube.update(Resources.rayServices, cur as never);
  await eventually(async () => {
    await h.rec('rs-susp');
    const got = await h.getRs('rs-susp');
    assert.equal(cond(got, 'Suspended')?.status, 'True');
    assert.equal(cond(got, 'Suspending')?.status, 'False');
    assert.equal(cond(got, 'Ready')?.reason, 'SuspendComplete');
    assert.equal(got.status?.activeServiceStatus?.rayClusterName ?? '', '');
  });
  assert.equal(await h.getCluster(a), undefined);
  assert.equal(await h.kube.getOrUndefined(Resources.services, h.ns, 'rs-susp-serve-svc'), undefined);
  assert.equal(await h.kube.getOrUndefined(Resources.services, h.ns, 'rs-susp-head-svc'), undefined);
  await h.settle('rs-susp', 3);
  assert.equal(
    (await h.kube.list(Resources.rayClusters, { namespace: h.ns })).items.length,
    0,
    'stays suspended',
  );

  const again = await h.getRs('rs-susp');
  again.spec.suspend = false;
  await h.kube.update(Resources.rayServices, again as never);
  await eventually(async () => {
    await h.rec('rs-susp');
    const got = await h.getRs('rs-susp');
    assert.equal(cond(got, 'Suspended')?.reason, 'RayServiceResumed');
    assert.equal(cond(got, 'Ready')?.reason, 'Initializing');
    const p = got.status?.pendingServiceStatus?.rayClusterName;
    assert.ok(p && p !== a && (await h.getCluster(p)), 'a new cluster is created');
  });
});

test('the initializing timeout is terminal and deletes the clusters', async (t) => {
  const h = await harness(t);
  const rs = newRayService('rs-timeout', h.ns);
  rs.spec.rayClusterDeletionDelaySeconds = 0;
  await h.kube.create(Resources.rayServices, rs as never);
  const p = await eventually(async () => {
    await h.rec('rs-timeout');
    const name = (await h.getRs('rs-timeout')).status?.pendingServiceStatus?.rayClusterName;
    assert.ok(name && (await h.getCluster(name)));
    return name;
  });
  // Set the timeout once the cluster exists (the clock runs from Ready's lastTransitionTime, at creation), so
  // the test does not race the first passes on a loaded machine.
  await h.patch('rayServices', 'rs-timeout', {
    metadata: { annotations: { 'ray.io/initializing-timeout': '1s' } },
  });
  await eventually(async () => {
    await h.rec('rs-timeout');
    const got = await h.getRs('rs-timeout');
    assert.equal(cond(got, 'Ready')?.reason, 'InitializingTimeout');
    assert.equal(got.status?.pendingServiceStatus?.rayClusterName ?? '', '');
  });
  await eventually(async () => {
    await h.rec('rs-timeout');
    assert.equal(await h.getCluster(p), undefined, 'the cluster is deleted as dangling (delay 0)');
  });
  await eventually(async () =>
    assert.ok((await h.eventReasons('rs-timeout')).includes('RayServiceInitializingTimeout')),
  );
});

test('deleting the RayService deletes its clusters, then drops the finalizer', async (t) => {
  const h = await harness(t);
  const a = await createActive(h, newRayService('rs-del', h.ns));
  await h.kube.delete(Resources.rayServices, h.ns, 'rs-del');
  await eventually(async () => {
    await h.rec('rs-del');
    assert.equal(await h.getCluster(a), undefined);
    assert.equal(await h.kube.getOrUndefined(Resources.rayServices, h.ns, 'rs-del'), undefined);
  });
});

test('ENABLE_ZERO_DOWNTIME=false: a changed rayClusterConfig makes no new cluster', async (t) => {
  const h = await harness(t, { enableZeroDowntime: false });
  const a = await createActive(h, newRayService('rs-nozd', h.ns));
  const cur = await h.getRs('rs-nozd');
  cur.spec.rayClusterConfig.rayVersion = '2.47.0';
  await h.kube.update(Resources.rayServices, cur as never);
  await h.settle('rs-nozd');
  const got = await h.getRs('rs-nozd');
  assert.equal(got.status?.activeServiceStatus?.rayClusterName, a);
  assert.equal(got.status?.pendingServiceStatus?.rayClusterName ?? '', '');
  assert.equal((await h.kube.list(Resources.rayClusters, { namespace: h.ns })).items.length, 1);
});
