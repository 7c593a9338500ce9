import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { buildConfig } from '../../../src/config/config.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { systemClock } from '../../../src/lib/clock.ts';
import { nullLogger } from '../../../src/lib/logger.ts';
import { controllers, type OperatorDeps } from '../../../src/main/controllers.ts';
import { KubeEventRecorder } from '../../../src/runtime/events.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { RuntimeMetrics } from '../../../src/runtime/metrics.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';

const image = 'rayproject/ray:2.52.0';
const clusterSpec = {
  rayVersion: '2.52.0',
  headGroupSpec: {
    rayStartParams: {},
    template: { spec: { schedulerName: 'none', containers: [{ name: 'ray-head', image }] } },
  },
};
const rayJob = { entrypoint: 'python -c "print(1)"', rayClusterSpec: clusterSpec };

interface EventObj extends KubeObject {
  involvedObject: { kind: string; name: string };
  reason: string;
  source: { component: string };
  reportingComponent: string;
}

test("the operator's controllers write Events with KubeRay's source.component for each controller", async (t) => {
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'evsrc');
  const client = KubeClient.fromAccess(loadKubeconfig(cluster.kubeconfig), { qps: 0 });
  const argv = ['--feature-gates=RayCronJob=true,RayClusterNetworkPolicy=true'];
  const r = buildConfig({ argv, env: {}, readFile: () => '' });
  assert.equal(r.kind, 'config');
  const informers = new InformerFactory({ client, namespaces: [ns] });
  const recorder = new KubeEventRecorder({ client, instance: 'event-components-test' });
  const registry = new Registry();
  const deps: OperatorDeps = {
    client,
    informers,
    config: r.kind === 'config' ? r.config : (undefined as never),
    recorder,
    logger: nullLogger,
    clock: systemClock,
    metrics: { registry, runtime: RuntimeMetrics.for(registry) },
  };
  const running = controllers.map((register) => register(deps)).filter((c) => c !== undefined);
  informers.start();
  await informers.waitForSync();
  for (const c of running) await c.start();
  t.after(async () => {
    await Promise.all(running.map((c) => c.stop()));
    await Promise.all(informers.informers().map((i) => i.stop()));
    await recorder.flush();
    client.rest.close();
  });

  const create = (r: (typeof Resources)[keyof typeof Resources], kind: string, name: string, spec: object) =>
    client.create(r, {
      apiVersion: 'ray.io/v1',
      kind,
      metadata: { name, namespace: ns },
      spec,
    } as KubeObject);
  await create(Resources.rayClusters, 'RayCluster', 'np', {
    ...clusterSpec,
    networkPolicy: { mode: 'DenyAll' },
  });
  await create(Resources.rayJobs, 'RayJob', 'job', rayJob);
  await create(Resources.rayServices, 'RayService', 'svc', {
    serveConfigV2: 'applications: []\n',
    rayClusterConfig: clusterSpec,
  });
  await create(Resources.rayCronJobs, 'RayCronJob', 'cron', {
    schedule: '0 0 1 1 *',
    suspend: true,
    jobTemplate: rayJob,
  });

  const expected = [
    ['RayCluster', 'np', 'raycluster-controller'],
    ['RayCluster', 'np', 'networkpolicy-controller'],
    ['RayJob', 'job', 'rayjob-controller'],
    ['RayService', 'svc', 'rayservice-controller'],
    ['RayCronJob', 'cron', 'raycronjob-controller'],
  ];
  const seen = await eventually(async () => {
    const list = await client.list<EventObj>(Resources.events, { namespace: ns });
    const seen = new Set(
      list.items.map((e) => `${e.involvedObject.kind}/${e.involvedObject.name} ${e.source.component}`),
    );
    for (const [kind, name, component] of expected)
      assert.ok(seen.has(`${kind}/${name} ${component}`), `no Event from ${component} on ${kind} ${name}`);
    return list.items;
  });
  // Every Event names its controller, never the operator as a whole; reportingComponent agrees with source.
  for (const e of seen) {
    assert.notEqual(e.source.component, 'kuberay-operator', `${e.reason} on ${e.involvedObject.kind}`);
    assert.equal(e.reportingComponent, e.source.component);
  }
});
