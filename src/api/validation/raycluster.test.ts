import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster, RayClusterSpec } from '../raycluster.ts';
import type { SpecCase } from './cases.test-support.ts';
import {
  rayClusterSpecWarning,
  validateRayCluster,
  validateRayClusterMetadata,
  validateRayClusterSpec,
  validateRayClusterStatus,
  validateRayClusterUpgradeStrategy,
  validateRayClusterWebhook,
} from './raycluster.ts';

const container = () => ({ name: 'ray', image: 'rayproject/ray:2.56.0' });
const base = (): RayClusterSpec => ({
  rayVersion: '2.56.0',
  headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [container()] } } },
  workerGroupSpecs: [
    { groupName: 'small', minReplicas: 0, maxReplicas: 3, template: { spec: { containers: [container()] } } },
  ],
});
const cluster = (spec = base(), name = 'c'): RayCluster => ({ metadata: { name }, spec });

test('metadata: name length and DNS-1035 label', () => {
  assert.deepEqual(validateRayClusterMetadata({ name: 'ok-name' }), []);
  assert.deepEqual(validateRayClusterMetadata({ name: 'a'.repeat(54) }), [
    {
      field: 'metadata.name',
      reason: 'InvalidRayClusterMetadata',
      message: 'RayCluster name should be no more than 53 characters',
    },
  ]);
  const [e] = validateRayClusterMetadata({ name: '1abc' });
  assert.equal(
    e?.message,
    "RayCluster name should be a valid DNS1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]",
  );
});

test('status: Suspending and Suspended cannot both be true', () => {
  const c = (type: string) => ({
    type,
    status: 'True' as const,
    reason: type,
    message: '',
    lastTransitionTime: '2026-01-01T00:00:00Z',
  });
  assert.deepEqual(validateRayClusterStatus([c('RayClusterSuspending')]), []);
  assert.equal(
    validateRayClusterStatus([c('RayClusterSuspending'), c('RayClusterSuspended')])[0]?.reason,
    'InvalidRayClusterStatus',
  );
});

const cases: SpecCase<RayClusterSpec>[] = [
  [
    'no head container',
    (s) => {
      s.headGroupSpec.template.spec!.containers = [];
    },
    'spec.headGroupSpec.template.spec.containers',
    'headGroupSpec should have at least one container',
  ],
  [
    'head resources twice',
    (s) => {
      s.headGroupSpec.rayStartParams = { 'num-cpus': '1' };
      s.headGroupSpec.resources = { CPU: '1' };
    },
    'spec.headGroupSpec.resources',
    'resource fields should not be set in both rayStartParams and Resources for Head group; please use only one',
  ],
  [
    'rayStartParams labels',
    (s) => {
      s.workerGroupSpecs![0]!.rayStartParams = { labels: 'a=b' };
    },
    'spec.workerGroupSpecs[0].rayStartParams',
    "rayStartParams['labels'] is not supported for small group; please use the top-level Labels field instead",
  ],
  [
    'bad label value',
    (s) => {
      s.headGroupSpec.labels = { zone: 'a b' };
    },
    'spec.headGroupSpec.labels',
    "invalid label value for key 'zone' in Head group: 'a b', error: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ],
  [
    'no worker container',
    (s) => {
      s.workerGroupSpecs![0]!.template.spec!.containers = [];
    },
    'spec.workerGroupSpecs[0].template.spec.containers',
    'workerGroupSpec should have at least one container',
  ],
  [
    'min/max unset without autoscaler',
    (s) => {
      delete (s.workerGroupSpecs![0] as { maxReplicas?: number }).maxReplicas;
    },
    'spec.workerGroupSpecs[0]',
    'worker group small must set both minReplicas and maxReplicas when autoscaling is disabled',
  ],
  [
    'min > max',
    (s) => {
      s.workerGroupSpecs![0]!.minReplicas = 5;
    },
    'spec.workerGroupSpecs[0].minReplicas',
    'minReplicas 5 greater than maxReplicas 3',
  ],
  [
    'negative min',
    (s) => {
      s.workerGroupSpecs![0]!.minReplicas = -1;
    },
    'spec.workerGroupSpecs[0].minReplicas',
    'minReplicas (-1) of worker group small must be non-negative',
  ],
  [
    'idleTimeout without v2',
    (s) => {
      s.workerGroupSpecs![0]!.idleTimeoutSeconds = 30;
    },
    'spec.workerGroupSpecs[0].idleTimeoutSeconds',
    'worker group small has idleTimeoutSeconds set, but autoscaler version is not v2. Please set .spec.autoscalerOptions.version to v2',
  ],
  [
    'priority with old Ray',
    (s) => {
      s.rayVersion = '2.55.1';
      s.autoscalerOptions = { version: 'v2' };
      s.enableInTreeAutoscaling = true;
      s.workerGroupSpecs![0]!.priority = 1;
    },
    'spec.workerGroupSpecs[0].priority',
    'worker group small has priority set, but priority requires Ray 2.56.0 or later, got 2.55.1',
  ],
  [
    'ft annotation and options',
    (s) => {
      s.gcsFaultToleranceOptions = { redisAddress: 'r:6379' };
    },
    'spec.gcsFaultToleranceOptions',
    'ray.io/ft-enabled annotation and GcsFaultToleranceOptions are both set. Please use only GcsFaultToleranceOptions to configure GCS fault tolerance',
  ],
  [
    'redis address without FT',
    (s) => {
      s.headGroupSpec.template.spec!.containers[0]!.env = [{ name: 'RAY_REDIS_ADDRESS', value: 'r:6379' }];
    },
    'spec.headGroupSpec.template.spec.containers[0].env',
    'RAY_REDIS_ADDRESS is set which implicitly enables GCS fault tolerance, but GcsFaultToleranceOptions is not set. Please set GcsFaultToleranceOptions to enable GCS fault tolerance',
  ],
  [
    'redis-password with options',
    (s) => {
      s.gcsFaultToleranceOptions = { redisAddress: 'r:6379' };
      s.headGroupSpec.rayStartParams = { 'redis-password': 'x' };
    },
    'spec.headGroupSpec.rayStartParams',
    'cannot set `redis-password` in rayStartParams when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead',
  ],
  [
    'redis username',
    (s) => {
      s.headGroupSpec.rayStartParams = { 'redis-username': 'u' };
    },
    'spec.headGroupSpec',
    'cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead',
  ],
  [
    'rocksdb without gate',
    (s) => {
      s.gcsFaultToleranceOptions = { backend: 'rocksdb' };
    },
    'spec.gcsFaultToleranceOptions.backend',
    'gcsFaultToleranceOptions.backend rocksdb requires the GCSFaultToleranceEmbeddedStorage feature gate to be enabled',
  ],
  [
    'rocksdb with redisAddress',
    (s) => {
      s.gcsFaultToleranceOptions = { backend: 'rocksdb', redisAddress: 'r' };
    },
    'spec.gcsFaultToleranceOptions.redisAddress',
    'gcsFaultToleranceOptions.redisAddress cannot be set when gcsFaultToleranceOptions.backend is rocksdb',
    { GCSFaultToleranceEmbeddedStorage: true },
  ],
  [
    'rocksdb claimName and size',
    (s) => {
      s.gcsFaultToleranceOptions = { backend: 'rocksdb', storage: { claimName: 'p', size: '2Gi' } };
    },
    'spec.gcsFaultToleranceOptions.storage.claimName',
    'gcsFaultToleranceOptions.storage.claimName cannot be set together with size, storageClassName or accessModes',
    { GCSFaultToleranceEmbeddedStorage: true },
  ],
  [
    'redis with storage',
    (s) => {
      s.gcsFaultToleranceOptions = { redisAddress: 'r', storage: { size: '1Gi' } };
    },
    'spec.gcsFaultToleranceOptions.storage',
    'gcsFaultToleranceOptions.storage can only be set when gcsFaultToleranceOptions.backend is rocksdb',
  ],
  [
    'suspend without gate',
    (s) => {
      s.workerGroupSpecs![0]!.suspend = true;
    },
    'spec.workerGroupSpecs[0].suspend',
    'worker group small can be suspended only when the RayJobDeletionPolicy feature gate is enabled',
    { RayJobDeletionPolicy: false },
  ],
  [
    'v2 env without autoscaler',
    (s) => {
      s.headGroupSpec.template.spec!.containers[0]!.env = [
        { name: 'RAY_enable_autoscaler_v2', value: 'true' },
      ];
    },
    'spec.headGroupSpec.template.spec.containers[0].env',
    "environment variable RAY_enable_autoscaler_v2 cannot be set to 'true' when enableInTreeAutoscaling is false. Please set enableInTreeAutoscaling: true to use autoscaler v2",
  ],
  [
    'suspend with autoscaler',
    (s) => {
      s.enableInTreeAutoscaling = true;
      s.workerGroupSpecs![0]!.suspend = true;
    },
    'spec.workerGroupSpecs[0].suspend',
    'worker group small cannot be suspended with Autoscaler enabled',
  ],
  [
    'version and env',
    (s) => {
      s.enableInTreeAutoscaling = true;
      s.autoscalerOptions = { version: 'v1' };
      s.headGroupSpec.template.spec!.containers[0]!.env = [{ name: 'RAY_enable_autoscaler_v2', value: '0' }];
    },
    'spec.autoscalerOptions.version',
    'both .spec.autoscalerOptions.version and head Pod env var RAY_enable_autoscaler_v2 are set, please only use the former',
  ],
  [
    'v2 head restartPolicy',
    (s) => {
      s.enableInTreeAutoscaling = true;
      s.autoscalerOptions = { version: 'v2' };
      s.headGroupSpec.template.spec!.restartPolicy = 'Always';
    },
    'spec.headGroupSpec.template.spec.restartPolicy',
    'restartPolicy for head Pod should be Never or unset when using autoscaler V2',
  ],
  [
    'v2 worker restartPolicy',
    (s) => {
      s.enableInTreeAutoscaling = true;
      s.autoscalerOptions = { version: 'v2' };
      s.workerGroupSpecs![0]!.template.spec!.restartPolicy = 'OnFailure';
    },
    'spec.workerGroupSpecs[0].template.spec.restartPolicy',
    'restartPolicy for worker group small should be Never or unset when using autoscaler V2',
  ],
  [
    'reserved autoscaler env',
    (s) => {
      s.autoscalerOptions = { env: [{ name: 'KUBERAY_GEN_AUTOSCALER_START_CMD', value: 'x' }] };
    },
    'spec.autoscalerOptions.env',
    'autoscalerOptions.env cannot contain KUBERAY_GEN_AUTOSCALER_START_CMD, which is reserved for the operator',
  ],
  [
    'history without gate',
    (s) => {
      s.historyServerOptions = { collectorOptions: { image: 'i' } };
    },
    'spec.historyServerOptions',
    'historyServerOptions requires the RayClusterHistoryServer feature gate to be enabled',
  ],
  [
    'history reserved env',
    (s) => {
      s.historyServerOptions = { collectorOptions: { image: 'i', env: [{ name: 'POD_IP', value: 'x' }] } };
    },
    'spec.historyServerOptions.collectorOptions.env',
    'historyServerOptions.collectorOptions.env cannot set POD_IP, which is reserved for the operator',
    { RayClusterHistoryServer: true },
  ],
  [
    'history S3 without region',
    (s) => {
      s.historyServerOptions = {
        collectorOptions: { image: 'i', env: [{ name: 'STORAGE_BACKEND', value: 'S3' }] },
      };
    },
    'spec.historyServerOptions.collectorOptions.env',
    'STORAGE_BACKEND S3 requires env S3_REGION',
    { RayClusterHistoryServer: true },
  ],
  [
    'token auth without rayVersion',
    (s) => {
      delete s.rayVersion;
      s.authOptions = { mode: 'token' };
    },
    'spec.rayVersion',
    "authOptions.mode is 'token' but RayVersion was not specified. Ray version 2.52.0 or later is required",
  ],
  [
    'token auth with old Ray',
    (s) => {
      s.rayVersion = '2.51.0';
      s.authOptions = { mode: 'token' };
    },
    'spec.rayVersion',
    "authOptions.mode is 'token' but minimum Ray version is 2.52.0, got 2.51.0",
  ],
  [
    'k8s token auth with secret',
    (s) => {
      s.authOptions = { mode: 'token', enableK8sTokenAuth: true, secretName: 's' };
    },
    'spec.authOptions.secretName',
    'authOptions.secretName cannot be set when authOptions.enableK8sTokenAuth is true',
  ],
  [
    'k8s token auth without token mode',
    (s) => {
      s.authOptions = { mode: 'disabled', enableK8sTokenAuth: true };
    },
    'spec.authOptions.enableK8sTokenAuth',
    "authOptions.enableK8sTokenAuth requires authOptions.mode to be 'token'",
  ],
  [
    'network policy unknown group',
    (s) => {
      s.networkPolicy = { workerGroups: [{ groupName: 'gpu' }] };
    },
    'spec.networkPolicy.workerGroups[0].groupName',
    'networkPolicy.workerGroups[0].groupName gpu does not match any worker group',
    { RayClusterNetworkPolicy: true },
  ],
  [
    'network policy ingress under DenyAllEgress',
    (s) => {
      s.networkPolicy = { mode: 'DenyAllEgress', head: { ingressRules: [{}] } };
    },
    'spec.networkPolicy.head.ingressRules',
    'ingressRules cannot be set when networkPolicy.mode is DenyAllEgress',
    { RayClusterNetworkPolicy: true },
  ],
  [
    'tls env set by user',
    (s) => {
      s.tlsOptions = { enabled: true };
      s.workerGroupSpecs![0]!.template.spec!.containers[0]!.env = [{ name: 'RAY_USE_TLS', value: '1' }];
    },
    'spec.workerGroupSpecs[0].template.spec.containers[0]',
    'cannot set RAY_USE_TLS env var when tlsOptions is enabled; the operator sets it',
    { RayClusterMTLS: true },
  ],
];

test('spec rules, in KubeRay order, with the field and message', async (t) => {
  for (const [name, mutate, field, message, features] of cases) {
    await t.test(name, () => {
      const spec = base();
      mutate(spec);
      const annotations = name === 'ft annotation and options' ? { 'ray.io/ft-enabled': 'true' } : undefined;
      assert.deepEqual(validateRayClusterSpec(spec, annotations, { features }), [
        { field, message, reason: 'InvalidRayClusterSpec' },
      ]);
    });
  }
});

test('a valid spec passes, and the first failure wins', () => {
  assert.deepEqual(validateRayClusterSpec(base(), undefined), []);
  const spec = base();
  spec.headGroupSpec.template.spec!.containers = [];
  spec.workerGroupSpecs![0]!.minReplicas = 9;
  assert.equal(validateRayClusterSpec(spec, undefined).length, 1);
  assert.equal(validateRayCluster(cluster(spec, 'Bad_Name'))[0]?.reason, 'InvalidRayClusterMetadata');
});

test('webhook: worker group names must be unique', () => {
  const spec = base();
  spec.workerGroupSpecs!.push({ ...spec.workerGroupSpecs![0]! });
  assert.deepEqual(validateRayClusterWebhook(cluster(spec)), [
    {
      field: 'spec.workerGroupSpecs[1]',
      message: 'worker group names must be unique',
      reason: 'InvalidRayClusterSpec',
    },
  ]);
});

test('upgradeStrategy: only Recreate/None, and not on clusters created by RayJob or RayService', () => {
  const c = cluster({ ...base(), upgradeStrategy: { type: 'Recreate' } });
  assert.deepEqual(validateRayClusterUpgradeStrategy(c), []);
  c.metadata.labels = { 'ray.io/originated-from-crd': 'RayService' };
  assert.equal(
    validateRayClusterUpgradeStrategy(c)[0]?.message,
    'upgradeStrategy cannot be set when RayCluster is created by RayService',
  );
});

test('autoscaler v1 warning lists worker groups with a restartPolicy other than Never', () => {
  const spec = base();
  spec.enableInTreeAutoscaling = true;
  spec.autoscalerOptions = { version: 'v1' };
  assert.equal(rayClusterSpecWarning(spec), undefined);
  spec.workerGroupSpecs![0]!.template.spec!.restartPolicy = 'Always';
  assert.equal(
    rayClusterSpecWarning(spec),
    'restartPolicy for worker groups [small] should be Never or unset when using autoscaler V1',
  );
});

test('rayStartParams keys must be plain option names (they become ray start flags)', () => {
  const headSpec = base();
  headSpec.headGroupSpec.rayStartParams = { 'num-cpus': '1', 'num-cpus=1; touch /tmp/x; echo ': '' };
  assert.deepEqual(validateRayClusterSpec(headSpec, undefined), [
    {
      field: 'spec.headGroupSpec.rayStartParams',
      reason: 'InvalidRayClusterSpec',
      message: `rayStartParams key "num-cpus=1; touch /tmp/x; echo " of Head group is not a plain option name: only letters, digits, '-' and '_' are allowed`,
    },
  ]);
  for (const key of ['$(id)', '`id`', 'a b', "a'b", 'a\nb', '']) {
    const spec = base();
    spec.workerGroupSpecs![0]!.rayStartParams = { [key]: 'x' };
    const [e] = validateRayClusterSpec(spec, undefined);
    assert.equal(e?.field, 'spec.workerGroupSpecs[0].rayStartParams', JSON.stringify(key));
    assert.equal(
      e?.message,
      `rayStartParams key ${JSON.stringify(key)} of small group is not a plain option name: only letters, digits, '-' and '_' are allowed`,
    );
  }
  const ok = base();
  ok.headGroupSpec.rayStartParams = { 'dashboard-host': '0.0.0.0', object_store_memory: '1', block: 'true' };
  assert.deepEqual(validateRayClusterSpec(ok, undefined), []);
});
