import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayService } from '../../../src/api/index.ts';
import { cacheTransformFor } from '../../../src/controllers/common/pod-cache.ts';
import { createRayClusterController } from '../../../src/controllers/raycluster/controller.ts';
import { createRayServiceController } from '../../../src/controllers/rayservice/controller.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import type { DashboardTarget } from '../../../src/ray/factory.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { inProcessOperatorUserAgent } from '../../support/audit.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { newRayService, ServeFake } from './support.ts';

const cond = (rs: RayService, type: string) => rs.status?.conditions?.find((c) => c.type === type);

test('on the runtime, with the real RayCluster controller and KWOK pods: created, promoted, Ready, upgraded', async (t) => {
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'rsc');
  const access = loadKubeconfig(cluster.kubeconfig);
  const client = KubeClient.fromAccess(access, { qps: 0, userAgent: 'kuberay-ts-test' });
  const opClient = KubeClient.fromAccess(access, { qps: 0, userAgent: inProcessOperatorUserAgent() });
  const informers = new InformerFactory({
    client: opClient,
    namespaces: [ns],
    transformFor: cacheTransformFor,
  });
  const fakes = new Map<string, ServeFake>();
  const fake = (c: string) => {
    if (!fakes.has(c)) fakes.set(c, new ServeFake());
    return fakes.get(c)!;
  };
  const rc = createRayClusterController({ client: opClient, informers, config: { requeueSeconds: 10 } });
  const rs = createRayServiceController({
    client: opClient,
    informers,
    dashboards: async (target: DashboardTarget) => fake(target.clusterName),
    proxies: () => ({ checkProxyActorHealth: async () => {} }),
    options: { requeueMs: 200 },
  });
  informers.start();
  rc.controller.start();
  rs.controller.start();
  t.after(async () => {
    await rs.controller.stop();
    await rc.controller.stop();
    await informers.stop();
    opClient.rest.close();
    client.rest.close();
  });

  const obj = newRayService('rs-live', ns);
  const cfg = obj.spec.rayClusterConfig;
  for (const tpl of [cfg.headGroupSpec.template!, ...cfg.workerGroupSpecs!.map((g) => g.template!)])
    tpl.spec!.nodeSelector = { type: 'kwok' };
  await client.create(Resources.rayServices, obj as never);
  const get = async () => (await client.get(Resources.rayServices, ns, 'rs-live')) as unknown as RayService;

  const first = await eventually(
    async () => {
      const got = await get();
      assert.equal(cond(got, 'Ready')?.status, 'True');
      assert.ok((got.status?.numServeEndpoints ?? 0) > 0);
      return got.status!.activeServiceStatus!.rayClusterName!;
    },
    { timeoutMs: 60_000 },
  );
  const pods = await client.list(Resources.pods, {
    namespace: ns,
    labelSelector: { 'ray.io/cluster': first },
  });
  const head = pods.items.find((p) => p.metadata.labels?.['ray.io/node-type'] === 'head');
  assert.equal(head?.metadata.labels?.['ray.io/serve'], 'true');

  const cur = await get();
  cur.spec.rayClusterConfig.rayVersion = '2.47.0';
  await client.update(Resources.rayServices, cur as never);
  const second = await eventually(
    async () => {
      const got = await get();
      const active = got.status?.activeServiceStatus?.rayClusterName;
      assert.ok(active && active !== first, 'the new cluster is active');
      assert.equal(cond(got, 'UpgradeInProgress')?.status, 'False');
      return active;
    },
    { timeoutMs: 60_000 },
  );
  const serve = await client.get(Resources.services, ns, 'rs-live-serve-svc');
  assert.equal((serve.spec as { selector: Record<string, string> }).selector['ray.io/cluster'], second);
});
