import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import {
  baseCluster,
  clusterPods,
  condition,
  createCluster,
  getCluster,
  headPods,
  setAllRunning,
  setPodStatus,
  startOperator,
  workerPods,
} from './harness.ts';

test('head template labels: app name kept, ray.io/cluster forced, serviceIP = head pod IP (scenarios 6, 7)', async (t) => {
  const op = await startOperator(t);
  const a = baseCluster('label-app', op.ns);
  a.spec.headGroupSpec.template.metadata = { labels: { 'app.kubernetes.io/name': 'myapp' } };
  const b = baseCluster('label-cluster', op.ns);
  b.spec.headGroupSpec.template.metadata = { labels: { 'ray.io/cluster': 'invalid-cluster-name' } };
  await createCluster(op, a);
  await createCluster(op, b);
  for (const name of ['label-app', 'label-cluster']) {
    await eventually(async () => assert.equal((await clusterPods(op, name)).length, 4));
    await setAllRunning(op, name);
    await eventually(async () => {
      const rc = await getCluster(op, name);
      const [head] = await headPods(op, name);
      assert.equal(rc.status?.state, 'ready');
      assert.equal(head!.metadata.labels?.['ray.io/cluster'], name);
      assert.ok(head!.status?.podIP);
      assert.equal(rc.status?.head?.serviceIP, head!.status?.podIP);
      assert.equal(rc.status?.head?.podIP, head!.status?.podIP);
      assert.equal(rc.status?.head?.serviceName, `${name}-head-svc`);
      assert.equal(rc.status?.endpoints?.dashboard, '8265');
    });
  }
  const [headA] = await headPods(op, 'label-app');
  assert.equal(headA!.metadata.labels?.['app.kubernetes.io/name'], 'myapp');
});

test('template namespace is ignored; limits-only resources sum into desired CPU and memory (scenarios 20, 21)', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('limits-only', op.ns);
  rc.spec.headGroupSpec.template.metadata = { namespace: 'not-default' };
  for (const tpl of [rc.spec.headGroupSpec.template, rc.spec.workerGroupSpecs![0]!.template]) {
    tpl.spec.containers[0]!.resources = { limits: { cpu: '1', memory: '1Gi' } };
  }
  rc.spec.workerGroupSpecs![0]!.template.metadata = { namespace: 'not-default' };
  await createCluster(op, rc);
  await eventually(async () => assert.equal((await clusterPods(op, 'limits-only')).length, 4));
  await setAllRunning(op, 'limits-only');
  await eventually(async () => {
    const got = await getCluster(op, 'limits-only');
    assert.equal(got.status?.state, 'ready');
    assert.equal(got.status?.desiredCPU, '4');
    assert.equal(got.status?.desiredMemory, '4Gi');
  });
});

test('numOfHosts 0 yields no workers; conditions follow head and worker readiness (scenarios 22, 23)', async (t) => {
  const op = await startOperator(t);
  const zero = baseCluster('zero-hosts', op.ns);
  zero.spec.workerGroupSpecs![0]!.numOfHosts = 0;
  await createCluster(op, zero);
  await eventually(async () => {
    assert.equal((await getCluster(op, 'zero-hosts')).status?.desiredWorkerReplicas, 0);
    assert.equal((await clusterPods(op, 'zero-hosts')).length, 1);
  });

  const rc = baseCluster('conditions', op.ns);
  Object.assign(rc.spec.workerGroupSpecs![0]!, { replicas: 1, maxReplicas: 1 });
  await createCluster(op, rc);
  await eventually(async () => assert.equal((await clusterPods(op, 'conditions')).length, 2));
  const [head] = await headPods(op, 'conditions');
  const [worker] = await workerPods(op, 'conditions');
  await setPodStatus(op, head!, 'Running', true);
  await eventually(async () => {
    const got = await getCluster(op, 'conditions');
    assert.equal(condition(got, 'HeadPodReady')?.status, 'True');
    assert.equal(condition(got, 'RayClusterProvisioned')?.status, 'False');
  });
  await setPodStatus(op, worker!, 'Running', true);
  await eventually(async () =>
    assert.equal(condition(await getCluster(op, 'conditions'), 'RayClusterProvisioned')?.status, 'True'),
  );
  await setPodStatus(op, worker!, 'Running', false);
  await setPodStatus(op, head!, 'Running', false);
  await eventually(async () => {
    const got = await getCluster(op, 'conditions');
    assert.equal(condition(got, 'HeadPodReady')?.status, 'False');
    assert.equal(condition(got, 'RayClusterProvisioned')?.status, 'True');
  });
});

test('a pod the API server rejects sets ReplicaFailure (scenario 24)', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('bad-pull-policy', op.ns);
  rc.spec.headGroupSpec.template.spec.containers[0]!.imagePullPolicy = '!invalid!';
  await createCluster(op, rc);
  await eventually(async () => {
    const c = condition(await getCluster(op, 'bad-pull-policy'), 'ReplicaFailure');
    assert.equal(c?.status, 'True');
    assert.equal(c?.reason, 'FailedCreateHeadPod');
    // KubeRay's errors.Join text: the marker, then the API server's own message (no request line).
    assert.match(c?.message ?? '', /^FailedCreateHeadPod\nPod "bad-pull-policy-head-[a-z0-9]*" is invalid: /);
  });
  await eventually(async () => {
    const events = await op.client.list<KubeObject & { reason: string; message: string }>(Resources.events, {
      namespace: op.ns,
    });
    const failed = events.items.find((e) => e.reason === 'FailedToCreateHeadPod');
    // KubeRay's text: the head Pod's name is still empty (generateName), then the API server's message.
    assert.match(failed?.message ?? '', /^Failed to create head Pod [^/]+\/, Pod "bad-pull-policy-head-/);
  });
});

test('a head Service the API server rejects sets InvalidSpec with its message (found by the fuzz suite)', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('bad-svc-type', op.ns);
  rc.spec.headGroupSpec.serviceType = 'NoSuchType';
  await createCluster(op, rc);
  await eventually(async () => {
    const c = condition(await getCluster(op, 'bad-svc-type'), 'InvalidSpec');
    assert.equal(c?.status, 'True');
    assert.equal(c?.reason, 'FailedToCreateService');
    assert.match(c?.message ?? '', /spec\.type: Unsupported value: "NoSuchType"/);
  });
  // Fixed: the Service is created and the condition goes away.
  const fixed = await getCluster(op, 'bad-svc-type');
  fixed.spec.headGroupSpec.serviceType = 'ClusterIP';
  await op.client.update(Resources.rayClusters, fixed as never);
  await eventually(async () => {
    assert.equal(condition(await getCluster(op, 'bad-svc-type'), 'InvalidSpec'), undefined);
    assert.equal((await headPods(op, 'bad-svc-type')).length, 1);
  });
});

test('a head Service name taken by another Service sets InvalidSpec and creates no pod; freeing the name recovers', async (t) => {
  const op = await startOperator(t);
  await op.client.create(Resources.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'taken-head-svc', namespace: op.ns },
    spec: { ports: [{ name: 'http', port: 80 }], selector: { app: 'someone-else' } },
  } as never);
  await createCluster(op, baseCluster('taken', op.ns));
  await eventually(async () => {
    const c = condition(await getCluster(op, 'taken'), 'InvalidSpec');
    assert.equal(c?.status, 'True');
    assert.equal(c?.reason, 'FailedToCreateService');
    assert.match(c?.message ?? '', /taken-head-svc.*not this RayCluster's head Service/s);
  });
  assert.equal((await headPods(op, 'taken')).length, 0, 'no pod while the head Service cannot be created');
  await op.client.delete(Resources.services, op.ns, 'taken-head-svc');
  await eventually(async () => {
    assert.equal(condition(await getCluster(op, 'taken'), 'InvalidSpec'), undefined);
    assert.equal((await headPods(op, 'taken')).length, 1);
  });
});

test('custom dashboard and agent ports reach the probes (scenario 26)', async (t) => {
  const op = await startOperator(t);
  const rc = baseCluster('probe-ports', op.ns);
  rc.spec.headGroupSpec.rayStartParams = { 'dashboard-port': '8365', 'dashboard-agent-listen-port': '8266' };
  rc.spec.workerGroupSpecs![0]!.rayStartParams = { 'dashboard-agent-listen-port': '9000' };
  await createCluster(op, rc);
  await eventually(async () => assert.equal((await clusterPods(op, 'probe-ports')).length, 4));
  const [head] = await headPods(op, 'probe-ports');
  const [worker] = await workerPods(op, 'probe-ports');
  const headProbe = head!.spec.containers[0]!.livenessProbe?.exec?.command?.join(' ') ?? '';
  const workerProbe = worker!.spec.containers[0]!.readinessProbe?.exec?.command?.join(' ') ?? '';
  assert.match(headProbe, /:8266/);
  assert.match(headProbe, /:8365/);
  assert.match(workerProbe, /:9000/);
  assert.doesNotMatch(workerProbe, /:8365/);
  await setAllRunning(op, 'probe-ports');
  await eventually(async () => assert.equal((await getCluster(op, 'probe-ports')).status?.state, 'ready'));
});
