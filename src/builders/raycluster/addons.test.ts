import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, RayCluster } from '../../api/index.ts';
import { buildRedisCleanupJob } from './cleanup-job.ts';
import { type BuilderConfig, defaultBuilderConfig } from './config.ts';
import { collectorContainerName } from './history.ts';
import { buildHeadPod, buildWorkerPod } from './pod.ts';
import { waitForTlsIpSanName } from './tls.ts';

const gates = { RayClusterHistoryServer: true, RayClusterMTLS: true };
const config: BuilderConfig = {
  ...defaultBuilderConfig,
  featureGates: gates,
  headSidecarContainers: [{ name: 'fluentbit', image: 'fluent' }],
  workerSidecarContainers: [{ name: 'w-sidecar', image: 'x' }],
};

function cluster(extra: Partial<RayCluster['spec']> = {}, labels: Record<string, string> = {}): RayCluster {
  const tpl = (name: string) => ({
    spec: {
      containers: [
        { name, image: 'rayproject/ray:2.55.1' },
        { name: 'user-side', image: 'u' },
      ],
    },
  });
  return {
    metadata: { name: 'c1', namespace: 'ns', uid: 'u1', labels },
    spec: {
      rayVersion: '2.55.1',
      headGroupSpec: { template: tpl('ray-head'), rayStartParams: {} },
      workerGroupSpecs: [
        { groupName: 'g', replicas: 1, minReplicas: 0, maxReplicas: 2, template: tpl('ray-worker') },
      ],
      ...extra,
    },
  };
}

const history = {
  collectorOptions: { image: 'collector:1', env: [{ name: 'STORAGE_BACKEND', value: 'S3' }] },
};
const names = (cs: Container[] | undefined) => (cs ?? []).map((c) => c.name);
const env = (c: Container | undefined, name: string) => c?.env?.find((e) => e.name === name);

test('the collector comes after the autoscaler and before operator sidecars on the head', () => {
  const rc = cluster({ historyServerOptions: history, enableInTreeAutoscaling: true });
  const pod = buildHeadPod(rc, config);
  assert.deepEqual(names(pod.spec.containers), [
    'ray-head',
    'user-side',
    'autoscaler',
    collectorContainerName,
    'fluentbit',
  ]);
  const collector = pod.spec.containers[3];
  assert.deepEqual(
    collector?.env?.map((e) => e.name),
    [
      'POD_IP',
      'RAY_CLUSTER_NAME',
      'RAY_CLUSTER_NAMESPACE',
      'RAY_ROLE',
      'EVENTS_PORT',
      'FQ_RAY_IP',
      'RAY_DASHBOARD_ADDRESS',
      'STORAGE_BACKEND',
    ],
  );
  assert.equal(env(collector, 'RAY_ROLE')?.value, 'Head');
  // ray-logs is shared by the Ray container, the autoscaler and the collector, once.
  assert.equal(pod.spec.volumes?.filter((v) => v.name === 'ray-logs').length, 1);
  for (const i of [0, 2, 3])
    assert.ok(pod.spec.containers[i]?.volumeMounts?.some((m) => m.mountPath === '/tmp/ray'));
});

test('worker collector: role Worker, owner env from the originated-from labels, no dashboard address', () => {
  const rc = cluster(
    { historyServerOptions: history },
    {
      'ray.io/originated-from-crd': 'RayJob',
      'ray.io/originated-from-cr-name': 'job1',
    },
  );
  const pod = buildWorkerPod(rc, config, 0);
  assert.deepEqual(names(pod.spec.containers), [
    'ray-worker',
    'user-side',
    collectorContainerName,
    'w-sidecar',
  ]);
  const collector = pod.spec.containers[2];
  assert.equal(env(collector, 'RAY_ROLE')?.value, 'Worker');
  assert.equal(env(collector, 'OWNER_KIND')?.value, 'RayJob');
  assert.equal(env(collector, 'OWNER_NAME')?.value, 'job1');
  assert.equal(env(collector, 'RAY_DASHBOARD_ADDRESS'), undefined);
  assert.equal(env(pod.spec.containers[0], 'RAY_enable_ray_event')?.value, 'true');
});

test('history: the user keeps an event env var they set, and token auth reaches the collector', () => {
  const rc = cluster({ historyServerOptions: history, authOptions: { mode: 'token' } });
  rc.spec.headGroupSpec.template.spec.containers[0]!.env = [{ name: 'RAY_enable_ray_event', value: 'false' }];
  const pod = buildHeadPod(rc, config);
  const ray = pod.spec.containers[0];
  assert.equal(ray?.env?.filter((e) => e.name === 'RAY_enable_ray_event').length, 1);
  assert.equal(env(ray, 'RAY_enable_ray_event')?.value, 'false');
  const collector = pod.spec.containers.find((c) => c.name === collectorContainerName);
  assert.equal(env(collector, 'RAY_AUTH_MODE')?.value, 'token');
});

test('add-ons stay out when their gate is off', () => {
  const rc = cluster({ historyServerOptions: history, tlsOptions: { enabled: true } });
  const pod = buildWorkerPod(rc, { ...config, featureGates: {} }, 0);
  assert.ok(!names(pod.spec.containers).includes(collectorContainerName));
  assert.ok(!names(pod.spec.initContainers).includes(waitForTlsIpSanName));
  assert.equal(env(pod.spec.containers[0], 'RAY_USE_TLS'), undefined);
});

test('mTLS: wait-for-tls-ip-san runs first, the Ray, wait-gcs-ready and autoscaler containers get TLS env', () => {
  const rc = cluster({ tlsOptions: { enabled: true }, enableInTreeAutoscaling: true });
  rc.spec.workerGroupSpecs![0]!.template.spec.initContainers = [{ name: 'user-init', image: 'i' }];
  const worker = buildWorkerPod(rc, config, 0);
  assert.deepEqual(names(worker.spec.initContainers), [waitForTlsIpSanName, 'user-init', 'wait-gcs-ready']);
  assert.equal(env(worker.spec.initContainers?.[2], 'RAY_USE_TLS')?.value, '1');
  assert.equal(env(worker.spec.initContainers?.[1], 'RAY_USE_TLS'), undefined);
  assert.deepEqual(
    worker.spec.volumes?.find((v) => v.name === 'ray-tls'),
    { name: 'ray-tls', secret: { secretName: 'ray-worker-secret-c1' } },
  );
  const head = buildHeadPod(rc, config);
  const autoscaler = head.spec.containers.find((c) => c.name === 'autoscaler');
  assert.equal(env(autoscaler, 'RAY_TLS_CA_CERT')?.value, '/etc/ray/tls/ca.crt');
  assert.ok(autoscaler?.volumeMounts?.some((m) => m.name === 'ray-tls' && m.readOnly));
  const init = head.spec.initContainers?.[0];
  assert.equal(init?.name, waitForTlsIpSanName);
  assert.deepEqual(init?.resources, {
    limits: { cpu: '50m', memory: '64Mi' },
    requests: { cpu: '50m', memory: '64Mi' },
  });
  assert.equal(init?.image, 'rayproject/ray:2.55.1');
});

test('the Redis cleanup Job drops wait-for-tls-ip-san but keeps other init containers', () => {
  const rc = cluster({ tlsOptions: { enabled: true }, gcsFaultToleranceOptions: { redisAddress: 'r:6379' } });
  rc.spec.headGroupSpec.template.spec.initContainers = [{ name: 'user-init', image: 'i' }];
  const job = buildRedisCleanupJob(rc, buildHeadPod(rc, config), false) as unknown as {
    spec: { template: { spec: { initContainers?: Container[] } } };
  };
  assert.deepEqual(names(job.spec.template.spec.initContainers), ['user-init']);
});
