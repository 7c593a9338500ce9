import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster, RayService, Service } from '../../../src/api/index.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { harness, newRayService } from './support.ts';

test('zero-downtime upgrades: in-place changes, new pending clusters, safe switch and cleanup', async (t) => {
  const h = await harness(t);
  const name = `rs-${'x'.repeat(44)}`; // 47 characters, the maximum
  assert.equal(name.length, 47);
  const rs = newRayService(name, h.ns);
  rs.spec.rayClusterDeletionDelaySeconds = 1;
  await h.kube.create(Resources.rayServices, rs as never);
  const status = async () => (await h.getRs(name)).status ?? {};
  const svcTarget = async (svc: string) =>
    ((await h.kube.get(Resources.services, h.ns, svc)) as unknown as Service).spec?.selector?.[
      'ray.io/cluster'
    ];
  const updateRs = async (fn: (r: RayService) => void) => {
    const cur = await h.getRs(name);
    fn(cur);
    await h.kube.update(Resources.rayServices, cur as never);
  };
  const updateCluster = async (cluster: string, fn: (c: RayCluster) => void) => {
    const cur = (await h.getCluster(cluster))!;
    fn(cur);
    await h.kube.update(Resources.rayClusters, cur as never);
  };
  const pendingCreated = () =>
    eventually(async () => {
      await h.rec(name);
      const p = (await status()).pendingServiceStatus?.rayClusterName;
      assert.ok(p && (await h.getCluster(p)), 'the pending cluster exists');
      return p;
    });

  // First cluster: pending, then active once its head and apps are ready.
  const a = await pendingCreated();
  await h.makeClusterReady(a);
  await eventually(async () => {
    await h.rec(name);
    assert.equal((await status()).activeServiceStatus?.rayClusterName, a);
  });
  assert.equal(await svcTarget(`${name}-head-svc`), a);
  assert.equal(await svcTarget(`${name}-serve-svc`), a);

  // An autoscaler changing replicas never makes a new cluster, nor is it overwritten.
  await updateCluster(a, (c) => {
    c.spec.workerGroupSpecs![0]!.replicas = 3;
  });
  await h.settle(name);
  let s = await status();
  assert.equal(s.activeServiceStatus?.rayClusterName, a);
  assert.equal(s.pendingServiceStatus?.rayClusterName ?? '', '');
  assert.equal((await h.getCluster(a))!.spec.workerGroupSpecs![0]!.replicas, 3);

  // A new serveConfigV2 is applied in place: new app in the status, an event, same cluster.
  await updateRs((r) => {
    r.spec.serveConfigV2 +=
      '  - name: fruit_app\n    import_path: fruit.deployment_graph\n    route_prefix: /fruit\n';
  });
  await eventually(async () => {
    await h.rec(name);
    s = await status();
    assert.equal(s.activeServiceStatus?.applicationStatuses?.fruit_app?.status, 'RUNNING');
  });
  assert.equal(s.activeServiceStatus?.rayClusterName, a);
  assert.equal(s.pendingServiceStatus?.rayClusterName ?? '', '');
  assert.equal(h.fake(a).serveConfigs.length, 2);
  await eventually(async () => {
    const reasons = await h.eventReasons(name);
    assert.equal(reasons.filter((r) => r === 'UpdatedServeApplications').length, 2);
  });

  // Appending a worker group updates the active cluster in place.
  await updateRs((r) => {
    r.spec.rayClusterConfig.workerGroupSpecs!.push({
      ...structuredClone(r.spec.rayClusterConfig.workerGroupSpecs![0]!),
      groupName: 'second',
    });
  });
  await eventually(async () => {
    await h.rec(name);
    assert.equal((await h.getCluster(a))!.spec.workerGroupSpecs!.length, 2);
  });
  s = await status();
  assert.equal(s.activeServiceStatus?.rayClusterName, a);
  assert.equal(s.pendingServiceStatus?.rayClusterName ?? '', '');

  // Changing rayVersion prepares a new pending cluster; an autoscaler on it changes nothing.
  await updateRs((r) => {
    r.spec.rayClusterConfig.rayVersion = '2.47.0';
  });
  const b = await pendingCreated();
  assert.notEqual(b, a);
  await updateCluster(b, (c) => {
    c.spec.workerGroupSpecs![0]!.replicas = 4;
  });
  await h.settle(name);
  s = await status();
  assert.equal(s.pendingServiceStatus?.rayClusterName, b);
  assert.equal(s.activeServiceStatus?.rayClusterName, a);
  assert.equal(s.conditions?.find((c) => c.type === 'UpgradeInProgress')?.status, 'True');
  // As KubeRay: during a blue/green upgrade only the pending cluster's Serve step runs, and the active side shows
  // no app statuses (none were read for it).
  assert.equal(s.activeServiceStatus?.applicationStatuses, undefined);

  // Changing it again during the upgrade: a different pending cluster; the old pending one is deleted later.
  await updateRs((r) => {
    r.spec.rayClusterConfig.rayVersion = '2.48.0';
  });
  const c = await pendingCreated();
  assert.notEqual(c, b);
  await eventually(async () => {
    await h.rec(name);
    assert.equal(await h.getCluster(b), undefined, 'the dangling pending cluster is deleted after the delay');
  });

  // Appending a worker group during the upgrade updates the pending cluster in place, same name.
  await updateRs((r) => {
    r.spec.rayClusterConfig.workerGroupSpecs!.push({
      ...structuredClone(r.spec.rayClusterConfig.workerGroupSpecs![0]!),
      groupName: 'third',
    });
  });
  await eventually(async () => {
    await h.rec(name);
    assert.equal((await h.getCluster(c))!.spec.workerGroupSpecs!.length, 3);
  });
  assert.equal((await status()).pendingServiceStatus?.rayClusterName, c);

  // Traffic never moves to a cluster whose applications are not all RUNNING.
  h.fake(c).appStatus = 'DEPLOYING';
  await h.makeClusterReady(c);
  await eventually(async () => {
    await h.rec(name);
    assert.equal(h.fake(c).serveConfigs.length, 1, 'the config was submitted to the new cluster');
  });
  await h.settle(name);
  s = await status();
  assert.equal(s.activeServiceStatus?.rayClusterName, a);
  assert.equal(s.pendingServiceStatus?.applicationStatuses?.math_app?.status, 'DEPLOYING');
  assert.equal(await svcTarget(`${name}-serve-svc`), a);

  // Once they run: switch, promote, and delete the old cluster after the delay.
  h.fake(c).appStatus = 'RUNNING';
  h.fake(c).refresh();
  await eventually(async () => {
    await h.rec(name);
    s = await status();
    assert.equal(s.activeServiceStatus?.rayClusterName, c);
    assert.equal(s.pendingServiceStatus?.rayClusterName ?? '', '');
  });
  assert.equal(await svcTarget(`${name}-head-svc`), c);
  assert.equal(await svcTarget(`${name}-serve-svc`), c);
  await eventually(async () => {
    await h.rec(name);
    assert.equal(await h.getCluster(a), undefined, 'the old active cluster is deleted after the delay');
  });
  await eventually(
    async () => {
      await h.rec(name);
      s = await status();
      assert.ok((s.numServeEndpoints ?? 0) > 0);
      assert.equal(s.conditions?.find((x) => x.type === 'Ready')?.status, 'True');
      assert.equal(s.conditions?.find((x) => x.type === 'UpgradeInProgress')?.reason, 'NoPendingCluster');
    },
    // The serve endpoints come from EndpointSlices written by kube-controller-manager, which lags under the
    // load of a full CI run (one run took longer than 30 s).
    { timeoutMs: 60_000 },
  );
});
