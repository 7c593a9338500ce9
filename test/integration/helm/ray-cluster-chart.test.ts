/**
 * ray-cluster chart: `helm lint`, rendering of the head / worker / additionalWorkerGroups keys, and a
 * server-side dry run of the RayCluster against the generated CRD schema.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { installRayCrds } from './crds.ts';
import { chartPath, dryRunApply, helm, one, render } from './helm.ts';

const chart = chartPath('ray-cluster');
let crdsInstalled = false;

before(async () => {
  const { client } = await testCluster();
  crdsInstalled = await installRayCrds(client);
});

/** Dry-runs the RayCluster on the API server (skipped, with the reason, while no CRDs are generated). */
async function dryRun(
  t: { skip: (why: string) => void },
  obj: Parameters<typeof dryRunApply>[1],
  ns: string,
) {
  if (!crdsInstalled)
    return t.skip('no CRDs generated yet (config/crd/bases is empty): rendering checked only');
  const { client } = await testCluster();
  const out = await dryRunApply(client, obj, ns);
  assert.equal(out.kind, 'RayCluster');
}

test('helm lint passes', async () => {
  assert.match(await helm(['lint', chart, '--strict']), /0 chart\(s\) failed/);
});

test('default values: one head and the default worker group', async (t) => {
  const ns = await testNamespace(t, 'helm-rc');
  const rc = one(await render(chart, { release: 'raycluster', namespace: ns }), 'RayCluster');
  assert.equal(rc.metadata.name, 'raycluster-kuberay');
  const head = rc.spec.headGroupSpec;
  assert.equal(head.serviceType, 'ClusterIP');
  assert.deepEqual(head.rayStartParams, {});
  const hc = head.template.spec.containers[0];
  assert.equal(hc.name, 'ray-head');
  assert.equal(hc.image, 'rayproject/ray:2.52.0');
  assert.deepEqual(hc.resources, {
    limits: { cpu: '1', memory: '2G' },
    requests: { cpu: '1', memory: '2G' },
  });
  assert.deepEqual(hc.volumeMounts, [{ mountPath: '/tmp/ray', name: 'log-volume' }]);
  assert.equal(rc.spec.workerGroupSpecs.length, 1, 'smallGroup is disabled by default');
  const w = rc.spec.workerGroupSpecs[0];
  assert.deepEqual(
    [w.groupName, w.replicas, w.minReplicas, w.maxReplicas, w.numOfHosts],
    ['workergroup', 1, 1, 5, 1],
  );
  assert.equal(w.template.spec.containers[0].name, 'ray-worker');
  await dryRun(t, rc, ns);
});

test('head keys, common env, GCS fault tolerance and an additional worker group', async (t) => {
  const ns = await testNamespace(t, 'helm-rc');
  const values = {
    fullnameOverride: 'mycluster',
    annotations: { 'ray.io/ft-enabled': 'false' },
    imagePullSecrets: [{ name: 'regcred' }],
    common: { containerEnv: [{ name: 'COMMON', value: '1' }] },
    gcsFaultTolerance: {
      enabled: true,
      externalStorageNamespace: 'ns-a',
      redisAddress: 'redis:6379',
      redisPassword: { valueFrom: { secretKeyRef: { name: 'redis-password-secret', key: 'password' } } },
      redisUsername: 'default',
    },
    head: {
      rayVersion: '2.52.0',
      enableInTreeAutoscaling: true,
      autoscalerOptions: { upscalingMode: 'Default', idleTimeoutSeconds: 60 },
      rayStartParams: { 'num-cpus': 0, 'dashboard-host': '0.0.0.0' },
      initArgs: { block: true },
      containerEnv: [{ name: 'HEAD', value: '1' }],
      labels: { team: 'ml' },
      annotations: { note: 'head' },
      nodeSelector: { type: 'kwok' },
      serviceAccountName: 'ray-head',
      priorityClassName: 'high',
      headService: { metadata: { annotations: { a: 'b' } } },
      ports: [{ containerPort: 8265, name: 'dashboard' }],
      image: { repository: 'rayproject/ray', tag: '2.52.0-py311', pullPolicy: 'Always' },
      sidecarContainers: [{ name: 'sidecar', image: 'busybox' }],
      command: ['/bin/bash', '-c'],
      args: ['echo hi'],
    },
    worker: { disabled: true },
    additionalWorkerGroups: {
      smallGroup: { disabled: false, replicas: 2, minReplicas: 1, maxReplicas: 4, numOfHosts: 2 },
      gpuGroup: { disabled: true },
    },
  };
  const rc = one(await render(chart, { release: 'raycluster', namespace: ns, values }), 'RayCluster');
  assert.equal(rc.metadata.name, 'mycluster');
  assert.equal(rc.metadata.annotations?.['ray.io/ft-enabled'], 'false');
  assert.equal(rc.spec.rayVersion, '2.52.0');
  assert.equal(rc.spec.enableInTreeAutoscaling, true);
  assert.deepEqual(rc.spec.autoscalerOptions, values.head.autoscalerOptions);
  assert.deepEqual(rc.spec.gcsFaultToleranceOptions, {
    externalStorageNamespace: 'ns-a',
    redisAddress: 'redis:6379',
    redisPassword: values.gcsFaultTolerance.redisPassword,
    redisUsername: { value: 'default' },
  });
  const head = rc.spec.headGroupSpec;
  assert.deepEqual(head.rayStartParams, { 'num-cpus': '0', 'dashboard-host': '0.0.0.0', block: 'true' });
  assert.deepEqual(head.headService, values.head.headService);
  const pod = head.template;
  assert.equal(pod.metadata.labels.team, 'ml');
  assert.equal(pod.metadata.annotations.note, 'head');
  assert.deepEqual(pod.spec.imagePullSecrets, [{ name: 'regcred' }]);
  assert.equal(pod.spec.serviceAccountName, 'ray-head');
  assert.deepEqual(
    pod.spec.containers.map((c: { name: string }) => c.name),
    ['ray-head', 'sidecar'],
  );
  const hc = pod.spec.containers[0];
  assert.equal(hc.image, 'rayproject/ray:2.52.0-py311');
  assert.equal(hc.imagePullPolicy, 'Always');
  assert.deepEqual(hc.env, [
    { name: 'COMMON', value: '1' },
    { name: 'HEAD', value: '1' },
  ]);
  assert.deepEqual([hc.command, hc.args], [['/bin/bash', '-c'], ['echo hi']]);
  assert.deepEqual(
    rc.spec.workerGroupSpecs.map((g: { groupName: string; replicas: number; numOfHosts: number }) => [
      g.groupName,
      g.replicas,
      g.numOfHosts,
    ]),
    [['smallGroup', 2, 2]],
  );
  await dryRun(t, rc, ns);
});

test('a default worker group without a name is refused, naming the value', async () => {
  await assert.rejects(render(chart, { values: { worker: { groupName: '' } } }), /values\.worker\.groupName/);
});
