import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import type { RayService } from '../../../src/api/index.ts';
import type { KubeClient } from '../../../src/k8s/client.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { installStandInCrds } from '../../support/standin-crds.ts';
import { harness, newRayService } from './support.ts';

/**
 * Stand-in Gateway API CRDs (schema-less) so the API server serves gateway.networking.k8s.io/v1 Gateway and
 * HTTPRoute; no Gateway implementation runs, so the test writes their status as one would.
 */
async function installGatewayApi(kube: KubeClient): Promise<void> {
  await installStandInCrds(
    kube.rest,
    (['Gateway', 'HTTPRoute'] as const).map((kind) => ({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      plural: `${kind.toLowerCase()}s`,
      kind,
      status: true,
    })),
  );
  await eventually(async () => {
    kube.invalidateDiscovery();
    assert.ok(await kube.hasResource('gateway.networking.k8s.io', 'v1', 'httproutes'));
    assert.ok(await kube.hasResource('gateway.networking.k8s.io', 'v1', 'gateways'));
  });
}

const trueCond = (type: string) => ({
  type,
  status: 'True',
  reason: type,
  message: '',
  lastTransitionTime: new Date().toISOString(),
});

/** Creates an incremental-mode RayService, makes its first cluster active and its Gateway/HTTPRoute ready. */
async function startIncremental(t: TestContext, name: string) {
  const h = await harness(t);
  await installGatewayApi(h.kube);
  h.kube.invalidateDiscovery();
  const rs = newRayService(name, h.ns);
  rs.spec.rayClusterDeletionDelaySeconds = 0;
  rs.spec.rayClusterConfig.enableInTreeAutoscaling = true;
  rs.spec.upgradeStrategy = {
    type: 'NewClusterWithIncrementalUpgrade',
    clusterUpgradeOptions: {
      maxSurgePercent: 50,
      stepSizePercent: 50,
      intervalSeconds: 1,
      gatewayClassName: 'test-class',
    },
  };
  await h.kube.create(Resources.rayServices, rs as never);
  const status = async () => (await h.getRs(name)).status ?? {};

  const a = await eventually(async () => {
    await h.rec(name);
    const p = (await status()).pendingServiceStatus?.rayClusterName;
    assert.ok(p && (await h.getCluster(p)));
    return p;
  });
  await h.makeClusterReady(a);
  await eventually(async () => {
    await h.rec(name);
    const s = await status();
    assert.equal(s.activeServiceStatus?.rayClusterName, a);
    assert.ok(await h.kube.getOrUndefined(Resources.httpRoutes, h.ns, `${name}-httproute`));
  });
  const gw = await h.kube.get(Resources.gateways, h.ns, `${name}-gateway`);
  assert.equal((gw.spec as { gatewayClassName: string }).gatewayClassName, 'test-class');
  assert.ok(
    await h.kube.getOrUndefined(Resources.services, h.ns, `${a}-serve-svc`),
    'the per-cluster serve Service',
  );
  await h.kube.updateStatus(Resources.gateways, {
    ...gw,
    status: { conditions: [trueCond('Accepted'), trueCond('Programmed')] },
  });
  const route = await h.kube.get(Resources.httpRoutes, h.ns, `${name}-httproute`);
  await h.kube.updateStatus(Resources.httpRoutes, {
    ...route,
    status: {
      parents: [
        {
          parentRef: { name: `${name}-gateway`, namespace: h.ns },
          controllerName: 'test',
          conditions: [trueCond('Accepted'), trueCond('ResolvedRefs')],
        },
      ],
    },
  });

  return { h, a, status };
}

test('incremental upgrade: traffic and target capacity move step by step through the Gateway API', async (t) => {
  const name = 'rs-inc';
  const { h, a, status } = await startIncremental(t, name);
  const cur = await h.getRs(name);
  cur.spec.rayClusterConfig.rayVersion = '2.47.0';
  await h.kube.update(Resources.rayServices, cur as never);
  const b = await eventually(async () => {
    await h.rec(name);
    const p = (await status()).pendingServiceStatus?.rayClusterName;
    assert.ok(p && p !== a && (await h.getCluster(p)));
    return p;
  });
  assert.equal((await status()).pendingServiceStatus?.targetCapacity, 0);
  // Replicas are cleared so the new cluster autoscales up (the CRD then defaults them to 0; the goal says 1).
  assert.notEqual((await h.getCluster(b))!.spec.workerGroupSpecs![0]!.replicas, 1);
  await h.makeClusterReady(b);

  const seenWeights = new Set<string>();
  await eventually(
    async () => {
      await h.rec(name);
      const r = (await h.kube.getOrUndefined(Resources.httpRoutes, h.ns, `${name}-httproute`)) as
        | (KubeObject & { spec: { rules: { backendRefs: { name: string; weight: number }[] }[] } })
        | undefined;
      if (r) seenWeights.add(r.spec.rules[0]!.backendRefs.map((x) => `${x.name}=${x.weight}`).join(','));
      const s: RayService['status'] = await status();
      assert.equal(s?.activeServiceStatus?.rayClusterName, b, 'promoted once the upgrade completes');
    },
    { timeoutMs: 30_000 },
  );
  assert.ok(
    seenWeights.has(`${a}-serve-svc=50,${b}-serve-svc=50`),
    `traffic went through 50/50: ${[...seenWeights].join(' | ')}`,
  );
  const capsB = h.fake(b).serveConfigs.map((c) => (c as { target_capacity?: number }).target_capacity);
  const capsA = h.fake(a).serveConfigs.map((c) => (c as { target_capacity?: number }).target_capacity);
  assert.deepEqual(capsB, [0, 50, 100], 'the pending cluster grew by maxSurge');
  assert.deepEqual(capsA, [100, 50, 0], 'the old cluster shrank by maxSurge');
  await eventually(async () => {
    await h.rec(name);
    assert.equal(await h.getCluster(a), undefined, 'the old cluster is deleted');
  });
  await eventually(async () =>
    assert.ok((await h.eventReasons(name)).includes('UpdatedServeTargetCapacity')),
  );
});

test('incremental rollback: reverting the spec mid-upgrade moves traffic back and drops the new cluster', async (t) => {
  const name = 'rs-rollback';
  const { h, a, status } = await startIncremental(t, name);
  const original = (await h.getRs(name)).spec.rayClusterConfig.rayVersion;
  const cur = await h.getRs(name);
  cur.spec.rayClusterConfig.rayVersion = '2.47.0';
  await h.kube.update(Resources.rayServices, cur as never);
  const b = await eventually(async () => {
    await h.rec(name);
    const p = (await status()).pendingServiceStatus?.rayClusterName;
    assert.ok(p && p !== a && (await h.getCluster(p)));
    return p;
  });
  await h.makeClusterReady(b);
  await eventually(async () => {
    await h.rec(name);
    assert.ok(
      ((await status()).pendingServiceStatus?.trafficRoutedPercent ?? 0) > 0,
      'traffic started to move',
    );
  });

  const back = await h.getRs(name);
  back.spec.rayClusterConfig.rayVersion = original;
  await h.kube.update(Resources.rayServices, back as never);
  await eventually(async () => {
    await h.rec(name);
    const s = await status();
    assert.equal(
      s.conditions?.find((c) => c.type === 'RollbackInProgress')?.reason,
      'DesiredClusterSpecChanged',
    );
  });
  await eventually(
    async () => {
      await h.rec(name);
      const s = await status();
      assert.equal(s.pendingServiceStatus?.rayClusterName ?? '', '', 'the rollback completed');
      assert.equal(s.activeServiceStatus?.rayClusterName, a);
      assert.equal(
        s.conditions?.find((c) => c.type === 'RollbackInProgress'),
        undefined,
      );
      assert.equal(s.conditions?.find((c) => c.type === 'UpgradeInProgress')?.reason, 'NoPendingCluster');
    },
    { timeoutMs: 30_000 },
  );
  const route = (await h.kube.get(Resources.httpRoutes, h.ns, `${name}-httproute`)) as KubeObject & {
    spec: { rules: { backendRefs: { name: string; weight: number }[] }[] };
  };
  await eventually(async () => {
    await h.rec(name);
    const r = (await h.kube.get(Resources.httpRoutes, h.ns, `${name}-httproute`)) as typeof route;
    assert.deepEqual(
      r.spec.rules[0]!.backendRefs.map((x) => [x.name, x.weight]),
      [[`${a}-serve-svc`, 100]],
    );
    assert.equal(await h.getCluster(b), undefined, 'the new cluster is deleted');
  });
  await h.settle(name, 3);
  assert.equal((await status()).pendingServiceStatus?.rayClusterName ?? '', '', 'no new cluster is prepared');
});
