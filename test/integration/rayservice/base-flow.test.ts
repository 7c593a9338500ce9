import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayService } from '../../../src/api/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { harness, newRayService, reportHeadPodReady } from './support.ts';

const cond = (rs: RayService, type: string) => rs.status?.conditions?.find((c) => c.type === type);

test('base flow: pending cluster, promotion, services, app statuses, endpoints and Ready', async (t) => {
  const h = await harness(t);
  const rs = newRayService('rs-base', h.ns);
  rs.metadata.annotations = { 'example.com/owner': 'team-a' };
  await h.kube.create(Resources.rayServices, rs as never);
  h.run('rs-base');

  const pendingName = await eventually(async () => {
    const got = await h.getRs('rs-base');
    const name = got.status?.pendingServiceStatus?.rayClusterName;
    assert.ok(name, 'a pending cluster is named');
    assert.notEqual(cond(got, 'Ready')?.status, 'True');
    assert.notEqual(cond(got, 'UpgradeInProgress')?.status, 'True');
    assert.ok(got.metadata.finalizers?.includes('ray.io/rayservice-finalizer'));
    return name;
  });
  assert.match(pendingName, /^rs-base-[a-z0-9]{5}$/);
  const rc = await eventually(async () => {
    const c = await h.getCluster(pendingName);
    assert.ok(c, 'the pending cluster is created');
    return c;
  });
  assert.equal(rc.metadata.annotations?.['example.com/owner'], 'team-a', 'annotations are copied');
  assert.equal(rc.metadata.labels?.['ray.io/originated-from-crd'], 'RayService');
  assert.equal(rc.metadata.ownerReferences?.[0]?.kind, 'RayService');

  await h.makeClusterReady(pendingName);
  // Promotion waits for KWOK to run the head pod, which lags when other files create hundreds of pods.
  const promoted = await eventually(
    async () => {
      const got = await h.getRs('rs-base');
      assert.equal(got.status?.activeServiceStatus?.rayClusterName, pendingName);
      assert.equal(got.status?.pendingServiceStatus?.rayClusterName ?? '', '');
      return got;
    },
    { timeoutMs: 90_000 },
  );
  assert.equal(promoted.status?.activeServiceStatus?.applicationStatuses?.math_app?.status, 'RUNNING');
  const head = await h.kube.get(Resources.services, h.ns, 'rs-base-head-svc');
  const serve = await h.kube.get(Resources.services, h.ns, 'rs-base-serve-svc');
  assert.equal((head.spec as { selector: Record<string, string> }).selector['ray.io/cluster'], pendingName);
  assert.equal((serve.spec as { selector: Record<string, string> }).selector['ray.io/cluster'], pendingName);
  assert.deepEqual(h.fake(pendingName).serveConfigs.length, 1, 'the config is PUT once');

  const ready = await eventually(
    async () => {
      const got = await h.getRs('rs-base');
      assert.ok(
        (got.status?.numServeEndpoints ?? 0) > 0,
        'the endpoint slice controller saw the ready head pod',
      );
      assert.equal(cond(got, 'Ready')?.status, 'True');
      return got;
    },
    { timeoutMs: 90_000 },
  );
  assert.equal(ready.status?.serviceStatus, 'Running');
  assert.equal(cond(ready, 'UpgradeInProgress')?.reason, 'NoPendingCluster');
  const pod = await h.kube.get(Resources.pods, h.ns, `${pendingName}-head`);
  assert.equal(pod.metadata.labels?.['ray.io/serve'], 'true', 'the healthy head pod joins the serve service');

  // The app statuses are those read in the last pass, as KubeRay sets them: a head that is not ready shows none
  // (not the last RUNNING), and they come back when it is ready again.
  await reportHeadPodReady(h.kube, h.ns, pendingName, false);
  await eventually(async () => {
    const got = await h.getRs('rs-base');
    assert.equal(got.status?.activeServiceStatus?.rayClusterName, pendingName);
    assert.equal(got.status?.activeServiceStatus?.applicationStatuses, undefined);
  });
  await reportHeadPodReady(h.kube, h.ns, pendingName);
  await eventually(async () => {
    const got = await h.getRs('rs-base');
    assert.equal(got.status?.activeServiceStatus?.applicationStatuses?.math_app?.status, 'RUNNING');
  });
});
