import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { parse } from 'yaml';
import type { RayCluster } from '../../../src/api/raycluster.ts';
import { cacheTransformFor } from '../../../src/controllers/common/pod-cache.ts';
import { buildNetworkPolicies } from '../../../src/controllers/networkpolicy/build.ts';
import { createNetworkPolicyController } from '../../../src/controllers/networkpolicy/controller.ts';
import { planNetworkPolicies } from '../../../src/controllers/networkpolicy/plan.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { InformerFactory } from '../../../src/runtime/informer-factory.ts';
import { inProcessOperatorUserAgent, operatorProcessEnv } from '../../support/audit.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { baseCluster, condition, createCluster, getCluster, headPods, startOperator } from './harness.ts';

interface Env {
  readonly ns: string;
  readonly client: KubeClient;
}

/** Runs only the NetworkPolicy controller (it is independent of the RayCluster controller) on a fresh namespace. */
async function start(t: TestContext): Promise<Env> {
  const cluster = await testCluster();
  await installCrds(cluster.client);
  const ns = await testNamespace(t, 'np');
  const access = loadKubeconfig(cluster.kubeconfig);
  const client = KubeClient.fromAccess(access, { qps: 0, userAgent: 'kuberay-ts-test' });
  const opClient = KubeClient.fromAccess(access, { qps: 0, userAgent: inProcessOperatorUserAgent() });
  const informers = new InformerFactory({
    client: opClient,
    namespaces: [ns],
    transformFor: cacheTransformFor,
  });
  const controller = createNetworkPolicyController({ client: opClient, informers, concurrency: 2 });
  informers.start();
  controller.start();
  t.after(async () => {
    await controller.stop();
    await Promise.all(informers.informers().map((i) => i.stop()));
    opClient.rest.close();
    client.rest.close();
  });
  return { ns, client };
}

async function policies(env: Env): Promise<KubeObject[]> {
  const list = await env.client.list(Resources.networkPolicies, { namespace: env.ns });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}
const names = async (env: Env) => (await policies(env)).map((p) => p.metadata.name).sort();

const dnsEgress = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

test('the deny-all RayCluster gets a head and a worker-group policy that match the builder, with no drift', async (t) => {
  const env = await start(t);
  const rc = parse(
    readFileSync(join(import.meta.dirname, 'fixtures', 'network-policy-deny-all.yaml'), 'utf8'),
  ) as RayCluster;
  rc.metadata.namespace = env.ns;
  const created = (await env.client.create(
    Resources.rayClusters,
    rc as unknown as KubeObject,
  )) as unknown as RayCluster;
  await eventually(async () =>
    assert.deepEqual(await names(env), [
      'raycluster-deny-all-head',
      'raycluster-deny-all-workers-workergroup',
    ]),
  );
  const stored = await policies(env);
  const head = stored.find((p) => p.metadata.name === 'raycluster-deny-all-head') as KubeObject & {
    spec: { policyTypes: string[]; egress: unknown[]; ingress: unknown[]; podSelector: unknown };
  };
  assert.deepEqual(head.spec.policyTypes, ['Ingress', 'Egress']);
  assert.deepEqual(head.spec.podSelector, {
    matchLabels: { 'ray.io/cluster': 'raycluster-deny-all', 'ray.io/node-type': 'head' },
  });
  assert.deepEqual(head.spec.egress, [
    { to: [{ podSelector: { matchLabels: { 'ray.io/cluster': 'raycluster-deny-all' } } }] },
    dnsEgress,
  ]);
  assert.equal(head.metadata.labels?.['ray.io/cluster'], 'raycluster-deny-all');
  assert.equal(head.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);
  assert.equal(head.metadata.ownerReferences?.[0]?.controller, true);
  // What the API server stored (with its defaults) compares equal to the desired state: steady state makes no write.
  assert.deepEqual(
    planNetworkPolicies(created.metadata.uid ?? '', buildNetworkPolicies(created), stored),
    [],
  );
});

test('policies follow the spec: mode change, group added and removed, hand deletion, networkPolicy removed', async (t) => {
  const env = await start(t);
  const rc = baseCluster('np', env.ns) as unknown as RayCluster;
  rc.spec.networkPolicy = { mode: 'DenyAll', worker: { egressRules: [dnsEgress] } };
  await env.client.create(Resources.rayClusters, rc as unknown as KubeObject);
  await eventually(async () => assert.deepEqual(await names(env), ['np-head', 'np-workers-small-group']));
  const get = (name: string) =>
    env.client.get(Resources.networkPolicies, env.ns, name) as Promise<
      KubeObject & { spec: { policyTypes: string[]; egress?: unknown[]; ingress?: unknown[] } }
    >;
  const patch = (p: unknown) => env.client.patch(Resources.rayClusters, env.ns, 'np', p);

  await patch({ spec: { networkPolicy: { mode: 'DenyAllIngress', worker: { egressRules: null } } } });
  await eventually(async () => {
    const w = await get('np-workers-small-group');
    assert.deepEqual(w.spec.policyTypes, ['Ingress']);
    assert.equal(w.spec.egress, undefined);
  });

  const current = (await env.client.get(Resources.rayClusters, env.ns, 'np')) as unknown as RayCluster;
  const groups = current.spec.workerGroupSpecs ?? [];
  const extra = { ...structuredClone(groups[0]!), groupName: 'gpu' };
  await patch({ spec: { workerGroupSpecs: [...groups, extra] } });
  await eventually(async () =>
    assert.deepEqual(await names(env), ['np-head', 'np-workers-gpu', 'np-workers-small-group']),
  );
  await patch({ spec: { workerGroupSpecs: [extra] } });
  await eventually(async () => assert.deepEqual(await names(env), ['np-head', 'np-workers-gpu']));

  await env.client.delete(Resources.networkPolicies, env.ns, 'np-head');
  await eventually(async () => assert.ok((await get('np-head')).metadata.uid));

  await patch({ spec: { networkPolicy: null } });
  await eventually(async () => assert.deepEqual(await names(env), []));
});

test('an invalid networkPolicy is reported and changes nothing', async (t) => {
  const env = await start(t);
  const rc = baseCluster('bad', env.ns) as unknown as RayCluster;
  rc.spec.networkPolicy = { mode: 'DenyAll', workerGroups: [{ groupName: 'missing' }] };
  await env.client.create(Resources.rayClusters, rc as unknown as KubeObject);
  const event = await eventually(async () => {
    const list = await env.client.list(Resources.events, { namespace: env.ns });
    const e = list.items.find((x) => x.reason === 'InvalidRayClusterSpec');
    assert.ok(e, 'no InvalidRayClusterSpec event yet');
    return e as KubeObject & { message?: string; note?: string };
  });
  assert.match(
    String(event.message ?? event.note),
    /workerGroups\[0\]\.groupName.*does not match any worker group/,
  );
  assert.deepEqual(await names(env), []);
});

test('the operator process runs the NetworkPolicy controller when its gate is on (and the mTLS one does not crash it)', async (t) => {
  const { kubeconfig, client: rest } = await testCluster();
  await installCrds(rest);
  const ns = await testNamespace(t, 'npop');
  const root = join(import.meta.dirname, '..', '..', '..');
  const child = spawn(
    join(root, 'node_modules/.bin/node'),
    [
      join(root, 'src/main/operator.ts'),
      `--kubeconfig=${kubeconfig}`,
      `--watch-namespace=${ns}`,
      '--enable-leader-election=false',
      '--metrics-addr=127.0.0.1:0',
      '--health-probe-bind-address=127.0.0.1:0',
      '--feature-gates=RayClusterNetworkPolicy=true,RayClusterMTLS=true',
    ],
    {
      env: { ...process.env, KUBECONFIG: '', ...operatorProcessEnv() },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const client = KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 0 });
  t.after(() => client.rest.close());
  const rc = baseCluster('op', ns) as unknown as RayCluster;
  rc.spec.networkPolicy = { mode: 'DenyAllEgress' };
  await client.create(Resources.rayClusters, rc as unknown as KubeObject);
  await eventually(
    async () => {
      const list = await client.list(Resources.networkPolicies, { namespace: ns });
      assert.deepEqual(list.items.map((p) => p.metadata.name).sort(), ['op-head', 'op-workers-small-group']);
    },
    { timeoutMs: 60_000 },
  );
  assert.equal(child.exitCode, null, 'the operator is still running');
});

test('the RayCluster controller rejects an invalid networkPolicy too: InvalidSpec condition, no pods', async (t) => {
  const op = await startOperator(t, { featureGates: { RayClusterNetworkPolicy: true } });
  const rc = baseCluster('badnp', op.ns);
  rc.spec.networkPolicy = { mode: 'DenyAllEgress', head: { ingressRules: [{}] } };
  await createCluster(op, rc);
  await eventually(async () =>
    assert.equal(
      condition(await getCluster(op, 'badnp'), 'InvalidSpec')?.message,
      'ingressRules cannot be set when networkPolicy.mode is DenyAllEgress',
    ),
  );
  assert.deepEqual(await headPods(op, 'badnp'), []);
});
