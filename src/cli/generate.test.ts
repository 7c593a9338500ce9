import assert from 'node:assert/strict';
import { test } from 'node:test';

// biome-ignore lint/suspicious/noExplicitAny: the generated objects are walked as plain JSON
type Json = any;

import { CliError } from './errors.ts';
import {
  parseClusterConfig,
  type RayClusterConfig,
  rayClusterObject,
  rayJobObject,
  validateQuantity,
  validateTpu,
} from './generate.ts';

const base: RayClusterConfig = {
  name: 'c',
  namespace: 'ns',
  'ray-version': '2.52.0',
  image: 'rayproject/ray:2.52.0',
  head: { cpu: '2', memory: '4Gi', gpu: '0', 'ephemeral-storage': '' },
  'worker-groups': [
    { name: 'default-group', replicas: 1, 'num-of-hosts': 1, cpu: '2', memory: '4Gi', gpu: '1', tpu: '0' },
  ],
};

test("the generated RayCluster: requests cpu+memory, limits memory (+GPU), head ports, KubeRay's names", () => {
  const obj = rayClusterObject(base) as Json;
  assert.equal(obj.apiVersion, 'ray.io/v1');
  assert.deepEqual(obj.metadata, { name: 'c', namespace: 'ns' });
  const head = obj.spec.headGroupSpec.template.spec.containers[0];
  assert.equal(head.name, 'ray-head');
  assert.deepEqual(head.resources, { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi' } });
  assert.deepEqual(
    head.ports.map((p: Json) => `${p.name}:${p.containerPort}`),
    ['gcs-server:6379', 'dashboard:8265', 'client:10001'],
  );
  const w = obj.spec.workerGroupSpecs[0];
  assert.equal(w.groupName, 'default-group');
  assert.equal(w.replicas, 1);
  assert.equal(w.numOfHosts, 1);
  assert.equal(w.rayStartParams, undefined);
  assert.deepEqual(w.template.spec.containers[0].resources, {
    requests: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' },
    limits: { memory: '4Gi', 'nvidia.com/gpu': '1' },
  });
  assert.equal(obj.spec.enableInTreeAutoscaling, undefined);
});

test('autoscaler, service account, unnamed extra groups and gcsfuse', () => {
  const obj = rayClusterObject({
    ...base,
    'service-account': 'sa',
    autoscaler: { version: 'v2' },
    'worker-groups': [{ replicas: 1 }, { replicas: 2 }],
    gke: { gcsfuse: { 'bucket-name': 'b', 'mount-path': '/data', resources: { memory: '1Gi' } } },
  }) as Json;
  assert.equal(obj.spec.enableInTreeAutoscaling, true);
  assert.deepEqual(obj.spec.autoscalerOptions, { version: 'v2' });
  assert.deepEqual(
    obj.spec.workerGroupSpecs.map((g: Json) => g.groupName),
    ['default-group', 'default-group-1'],
  );
  assert.equal(obj.spec.headGroupSpec.template.spec.serviceAccountName, 'sa');
  assert.deepEqual(obj.spec.headGroupSpec.template.spec.volumes[0].csi, {
    driver: 'gcsfuse.csi.storage.gke.io',
    volumeAttributes: { bucketName: 'b' },
  });
  assert.equal(obj.spec.workerGroupSpecs[1].template.spec.containers[0].volumeMounts[0].mountPath, '/data');
  assert.deepEqual(obj.spec.workerGroupSpecs[0].template.metadata.annotations, {
    'gke-gcsfuse/memory-limit': '1Gi',
    'gke-gcsfuse/memory-request': '1Gi',
  });
});

test('the --file configuration: defaults, strict keys, validation', () => {
  const c = parseClusterConfig(
    { name: 'x', 'worker-groups': [{ name: 'g', replicas: 2, cpu: '1' }] },
    { rayVersion: '2.52.0', image: 'img' },
  );
  assert.equal(c.image, 'img');
  assert.equal(c.head.cpu, '2');
  assert.equal(c['worker-groups'][0]!.replicas, 2);
  assert.deepEqual(
    parseClusterConfig({}, { rayVersion: 'v', image: 'i' })['worker-groups'].map((g) => g.name),
    ['default-group'],
  );
  const bad: [unknown, RegExp][] = [
    [{ nmae: 'x' }, /field nmae not found in the configuration/],
    [{ head: { cpus: 1 } }, /field cpus not found in head/],
    [{ head: { cpu: 'lots' } }, /head cpu is not a valid resource quantity/],
    [{ 'worker-groups': [{ replicas: -1 }] }, /replicas must be a non-negative integer/],
    [{ 'worker-groups': [{ replicas: 1, tpu: '4' }] }, /requires the node selectors/],
    [{ gke: { gcsfuse: { 'mount-path': '/m' } } }, /bucket-name is required/],
    [{ autoscaler: { version: 'v3' } }, /must be one of "v1" or "v2"/],
  ];
  for (const [doc, re] of bad)
    assert.throws(
      () => parseClusterConfig(doc, { rayVersion: 'v', image: 'i' }),
      (e: unknown) => e instanceof CliError && re.test(e.message),
      JSON.stringify(doc),
    );
});

test('quantities and TPU selectors', () => {
  assert.doesNotThrow(() => validateQuantity('500m', 'head-cpu'));
  assert.throws(() => validateQuantity('-1', 'head-cpu'), /head-cpu cannot be negative/);
  assert.throws(
    () => validateQuantity('2 cores', 'worker-cpu'),
    /worker-cpu is not a valid resource quantity/,
  );
  assert.doesNotThrow(() => validateTpu('0', undefined, '--worker-tpu'));
  assert.doesNotThrow(() =>
    validateTpu(
      '1',
      { 'cloud.google.com/gke-tpu-accelerator': 'a', 'cloud.google.com/gke-tpu-topology': '1x1' },
      '--worker-tpu',
    ),
  );
  assert.throws(
    () => validateTpu('1', { 'cloud.google.com/gke-tpu-accelerator': 'a' }, '--worker-tpu'),
    /gke-tpu-topology/,
  );
});

test('the generated RayJob is InteractiveMode with the entrypoint and the cluster spec', () => {
  const job = rayJobObject({
    name: 'j',
    namespace: 'ns',
    entrypoint: 'python x.py',
    ttlSecondsAfterFinished: 0,
    cluster: base,
  }) as Json;
  assert.equal(job.kind, 'RayJob');
  assert.equal(job.spec.submissionMode, 'InteractiveMode');
  assert.equal(job.spec.entrypoint, 'python x.py');
  assert.equal(job.spec.rayClusterSpec.workerGroupSpecs[0].groupName, 'default-group');
});
