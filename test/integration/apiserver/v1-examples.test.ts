// biome-ignore-all lint/suspicious/noExplicitAny: responses and objects are untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { testNamespace } from '../../support/cluster.ts';
import { type RunningApiServer, startApiServer } from './harness.ts';

/**
 * KubeRay documents its V1 API with request bodies (apiserver/docs/api-example/): an autoscaling cluster, a
 * serving cluster, an HA cluster with GCS fault tolerance. The same shapes are sent here, and both the answer
 * (the JSON KubeRay's grpc-gateway writes: protojson, zero values omitted, enums as numbers) and the RayCluster
 * stored (what KubeRay's apiserver/pkg/util/cluster.go builds, as Go's encoding/json writes it: omitempty
 * fields left out, quantities canonical) are compared field by field.
 */

// The ray.io/creation-timestamp annotation holds Go's time.Now().String(): wall clock in UTC and the monotonic reading.
const GO_NOW = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,9})? \+0000 UTC m=\+\d+\.\d{9}$/;

const mount = (source: string, files: string[]) => ({
  name: 'code-sample',
  mountPath: '/home/ray/samples',
  volumeType: 'CONFIGMAP',
  source,
  items: Object.fromEntries(files.map((f) => [f, f])),
});

/** The stored object without what the Kubernetes API server sets itself. */
function stored(rc: any): any {
  const { uid, resourceVersion, generation, creationTimestamp, managedFields, ...metadata } = rc.metadata;
  assert.ok(uid && resourceVersion && creationTimestamp);
  return { ...rc, metadata };
}

async function setup(
  t: Parameters<typeof startApiServer>[0],
): Promise<{ api: RunningApiServer; ns: string }> {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiex');
  const tpl = await api.call('POST', `/apis/v1/namespaces/${ns}/compute_templates`, {
    name: 'default-template',
    namespace: ns,
    cpu: 2,
    memory: 4,
  });
  assert.equal(tpl.status, 200, JSON.stringify(tpl.body));
  return { api, ns };
}

/** Checks the creation-timestamp annotation's form and drops it, so the rest compares exactly. */
function withoutStamp(annotations: Record<string, string>): Record<string, string> {
  const { 'ray.io/creation-timestamp': stamp, ...rest } = annotations;
  assert.match(stamp ?? '', GO_NOW);
  return rest;
}

const headEnv = [{ name: 'MY_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }];
const headPorts = [
  { name: 'redis', containerPort: 6379, protocol: 'TCP' },
  { name: 'head', containerPort: 10001, protocol: 'TCP' },
  { name: 'dashboard', containerPort: 8265, protocol: 'TCP' },
  { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
];
const resourceEnv = (name: string, resource: string) => ({
  name,
  valueFrom: { resourceFieldRef: { containerName: 'ray-worker', resource } },
});
const workerEnv = [
  { name: 'RAY_DISABLE_DOCKER_CPU_WARNING', value: '1' },
  { name: 'TYPE', value: 'worker' },
  resourceEnv('CPU_REQUEST', 'requests.cpu'),
  resourceEnv('CPU_LIMITS', 'limits.cpu'),
  resourceEnv('MEMORY_REQUESTS', 'requests.memory'),
  resourceEnv('MEMORY_LIMITS', 'limits.memory'),
  { name: 'MY_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  { name: 'MY_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
];
const templateResources = {
  limits: { cpu: '2', memory: '4Gi' },
  requests: { cpu: '2', memory: '4Gi' },
};
const labels = (name: string, user: string, version = '') => ({
  'ray.io/cluster-name': name,
  'ray.io/user': user,
  'ray.io/version': version,
  'ray.io/environment': 'DEV',
  'app.kubernetes.io/name': 'kuberay',
  'app.kubernetes.io/managed-by': 'kuberay-apiserver',
});
const podVolume = (source: string, files: string[]) => ({
  name: 'code-sample',
  configMap: { name: source, items: files.map((f) => ({ key: f, path: f })) },
});
const podMount = { name: 'code-sample', mountPath: '/home/ray/samples' };
const workerContainer = (image: string, extra: Record<string, unknown> = {}) => ({
  name: 'ray-worker',
  image,
  imagePullPolicy: 'IfNotPresent',
  env: workerEnv,
  ports: [{ containerPort: 80, protocol: 'TCP' }],
  resources: templateResources,
  lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'ray stop'] } } },
  ...extra,
});
const apiVolume = (source: string, files: string[]) => ({
  name: 'code-sample',
  mountPath: '/home/ray/samples',
  volumeType: 3,
  source,
  items: Object.fromEntries(files.map((f) => [f, f])),
});
/** What KubeRay's builder writes on a group's pod template: the compute template and image it came from. */
const fromTemplate = (image: string) => ({
  annotations: { 'ray.io/compute-template': 'default-template', 'ray.io/compute-image': image },
});
/** The examples' worker group `small-wg` (from `default-template`, at most 5 replicas) as requested. */
const requestedWorkers = (image: string, group: Record<string, unknown>) => ({
  groupName: 'small-wg',
  computeTemplate: 'default-template',
  image,
  minReplicas: 0,
  maxReplicas: 5,
  ...group,
});
/** The same group in the answer: zero values left out, an empty `environment`. */
const answeredWorkers = (image: string, group: Record<string, unknown>) => ({
  groupName: 'small-wg',
  computeTemplate: 'default-template',
  image,
  maxReplicas: 5,
  ...group,
  environment: {},
});
/** The same group in the stored RayCluster; `files` of ConfigMap `source` mounted when given. */
const storedWorkers = (
  image: string,
  group: Record<string, unknown>,
  volume?: { source: string; files: string[] },
) => ({
  groupName: 'small-wg',
  maxReplicas: 5,
  numOfHosts: 1,
  ...group,
  template: {
    metadata: fromTemplate(image),
    spec: volume
      ? {
          containers: [workerContainer(image, { volumeMounts: [podMount] })],
          volumes: [podVolume(volume.source, volume.files)],
        }
      : { containers: [workerContainer(image)] },
  },
});

test('autoscaling cluster (autoscaling_clusters.json): enableInTreeAutoscaling and autoscalerOptions, field by field', async (t) => {
  const { api, ns } = await setup(t);
  const image = 'rayproject/ray:2.9.0-py310';
  const files = ['detached_actor.py', 'terminate_detached_actor.py'];
  const res = await api.call('POST', `/apis/v1/namespaces/${ns}/clusters`, {
    name: 'test-cluster',
    namespace: ns,
    user: 'boris',
    clusterSpec: {
      enableInTreeAutoscaling: true,
      autoscalerOptions: { upscalingMode: 'Default', idleTimeoutSeconds: 30, cpu: '500m', memory: '512Mi' },
      headGroupSpec: {
        computeTemplate: 'default-template',
        image,
        serviceType: 'NodePort',
        rayStartParams: { 'dashboard-host': '0.0.0.0', 'metrics-export-port': '8080', 'num-cpus': '0' },
        volumes: [mount('ray-example', files)],
      },
      workerGroupSpec: [
        requestedWorkers(image, {
          replicas: 0,
          rayStartParams: { 'node-ip-address': '$MY_POD_IP' },
          volumes: [mount('ray-example', files)],
        }),
      ],
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { createdAt, annotations, ...answer } = res.body;
  assert.match(createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(withoutStamp(annotations), {});
  assert.deepEqual(answer, {
    name: 'test-cluster',
    namespace: ns,
    user: 'boris',
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: 'default-template',
        image,
        serviceType: 'NodePort',
        rayStartParams: { 'dashboard-host': '0.0.0.0', 'metrics-export-port': '8080', 'num-cpus': '0' },
        volumes: [apiVolume('ray-example', files)],
        environment: {},
      },
      workerGroupSpec: [
        answeredWorkers(image, {
          rayStartParams: { 'node-ip-address': '$MY_POD_IP' },
          volumes: [apiVolume('ray-example', files)],
        }),
      ],
      enableInTreeAutoscaling: true,
      autoscalerOptions: { idleTimeoutSeconds: 30, upscalingMode: 'Default', cpu: '500m', memory: '512Mi' },
    },
  });

  const rc = stored(await api.admin.get(Resources.rayClusters, ns, 'test-cluster'));
  assert.deepEqual(withoutStamp(rc.metadata.annotations), {});
  assert.deepEqual(rc.metadata.labels, labels('test-cluster', 'boris'));
  assert.deepEqual(rc.spec, {
    headGroupSpec: {
      serviceType: 'NodePort',
      rayStartParams: { 'dashboard-host': '0.0.0.0', 'metrics-export-port': '8080', 'num-cpus': '0' },
      template: {
        metadata: fromTemplate(image),
        spec: {
          containers: [
            {
              name: 'ray-head',
              image,
              imagePullPolicy: 'IfNotPresent',
              env: headEnv,
              ports: headPorts,
              resources: templateResources,
              volumeMounts: [podMount],
            },
          ],
          volumes: [podVolume('ray-example', files)],
        },
      },
    },
    workerGroupSpecs: [
      storedWorkers(
        image,
        { replicas: 0, minReplicas: 0, rayStartParams: { 'node-ip-address': '$MY_POD_IP' } },
        { source: 'ray-example', files },
      ),
    ],
    enableInTreeAutoscaling: true,
    autoscalerOptions: {
      idleTimeoutSeconds: 30,
      upscalingMode: 'Default',
      resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '500m', memory: '512Mi' } },
    },
  });
  // Reading it back gives the same answer.
  const got = await api.call('GET', `/apis/v1/namespaces/${ns}/clusters/test-cluster`);
  assert.deepEqual({ ...got.body, createdAt: undefined }, { ...res.body, createdAt: undefined });
});

test('serving cluster (create_serving_clusters.json): ray.io/enable-serve-service adds the serve ports', async (t) => {
  const { api, ns } = await setup(t);
  const image = 'rayproject/ray:2.9.0-py310';
  const files = ['sample_code.py'];
  const rayStartParams = {
    'dashboard-host': '0.0.0.0',
    'metrics-export-port': '8080',
    'dashboard-agent-listen-port': '52365',
  };
  const res = await api.call('POST', `/apis/v1/namespaces/${ns}/clusters`, {
    name: 'test-cluster',
    namespace: ns,
    user: 'boris',
    annotations: { 'ray.io/enable-serve-service': 'true' },
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: 'default-template',
        image,
        serviceType: 'ClusterIP',
        rayStartParams,
        volumes: [mount('ray-job-code-sample', files)],
      },
      workerGroupSpec: [
        requestedWorkers(image, {
          replicas: 1,
          rayStartParams: { 'node-ip-address': '$MY_POD_IP' },
          volumes: [mount('ray-job-code-sample', files)],
        }),
      ],
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { createdAt, annotations, ...answer } = res.body;
  assert.deepEqual(withoutStamp(annotations), { 'ray.io/enable-serve-service': 'true' });
  assert.deepEqual(answer, {
    name: 'test-cluster',
    namespace: ns,
    user: 'boris',
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: 'default-template',
        image,
        serviceType: 'ClusterIP',
        rayStartParams,
        volumes: [apiVolume('ray-job-code-sample', files)],
        environment: {},
      },
      workerGroupSpec: [
        answeredWorkers(image, {
          // minReplicas 0 means "as many as replicas" in KubeRay's builder.
          replicas: 1,
          minReplicas: 1,
          rayStartParams: { 'node-ip-address': '$MY_POD_IP' },
          volumes: [apiVolume('ray-job-code-sample', files)],
        }),
      ],
    },
  });

  const rc = stored(await api.admin.get(Resources.rayClusters, ns, 'test-cluster'));
  assert.deepEqual(withoutStamp(rc.metadata.annotations), { 'ray.io/enable-serve-service': 'true' });
  assert.deepEqual(rc.metadata.labels, labels('test-cluster', 'boris'));
  const head = rc.spec.headGroupSpec;
  assert.equal(head.serviceType, 'ClusterIP');
  assert.deepEqual(head.rayStartParams, rayStartParams);
  assert.deepEqual(head.template.spec.containers[0].ports, [
    ...headPorts,
    { name: 'dashboard-agent', containerPort: 52365, protocol: 'TCP' },
    { name: 'serve', containerPort: 8000, protocol: 'TCP' },
  ]);
  assert.deepEqual(head.template.spec.volumes, [podVolume('ray-job-code-sample', files)]);
  assert.deepEqual(rc.spec.workerGroupSpecs, [
    storedWorkers(
      image,
      { replicas: 1, minReplicas: 1, rayStartParams: { 'node-ip-address': '$MY_POD_IP' } },
      { source: 'ray-job-code-sample', files },
    ),
  ]);
  assert.equal(rc.spec.enableInTreeAutoscaling, undefined);
  assert.equal(rc.spec.rayVersion, undefined, 'no version: rayVersion is left out (omitempty)');
});

test('HA cluster (ha_clusters.json): GCS fault tolerance annotation, Redis address and password env', async (t) => {
  const { api, ns } = await setup(t);
  const image = 'rayproject/ray:2.46.0-py310';
  const files = ['detached_actor.py', 'increment_counter.py'];
  const rayStartParams = { 'num-cpus': '0', 'redis-password': '$REDIS_PASSWORD' };
  const res = await api.call('POST', `/apis/v1/namespaces/${ns}/clusters`, {
    name: 'ha-cluster',
    namespace: ns,
    user: 'kuberay',
    version: '2.46.0',
    environment: 'DEV',
    annotations: { 'ray.io/ft-enabled': 'true' },
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: 'default-template',
        image,
        rayStartParams,
        environment: {
          values: { RAY_REDIS_ADDRESS: 'redis.default.svc.cluster.local:6379' },
          valuesFrom: { REDIS_PASSWORD: { source: 1, name: 'redis-password-secret', key: 'password' } },
        },
        volumes: [mount('ray-example', files)],
      },
      workerGroupSpec: [requestedWorkers(image, { replicas: 1 })],
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { createdAt, annotations, ...answer } = res.body;
  assert.deepEqual(withoutStamp(annotations), { 'ray.io/ft-enabled': 'true' });
  assert.deepEqual(answer, {
    name: 'ha-cluster',
    namespace: ns,
    user: 'kuberay',
    version: '2.46.0',
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: 'default-template',
        image,
        rayStartParams,
        volumes: [apiVolume('ray-example', files)],
        environment: {
          values: { RAY_REDIS_ADDRESS: 'redis.default.svc.cluster.local:6379' },
          valuesFrom: { REDIS_PASSWORD: { source: 1, name: 'redis-password-secret', key: 'password' } },
        },
      },
      workerGroupSpec: [answeredWorkers(image, { replicas: 1, minReplicas: 1 })],
    },
  });

  const rc = stored(await api.admin.get(Resources.rayClusters, ns, 'ha-cluster'));
  assert.deepEqual(withoutStamp(rc.metadata.annotations), { 'ray.io/ft-enabled': 'true' });
  assert.deepEqual(rc.metadata.labels, labels('ha-cluster', 'kuberay', '2.46.0'));
  assert.deepEqual(rc.spec, {
    rayVersion: '2.46.0',
    headGroupSpec: {
      rayStartParams,
      template: {
        metadata: fromTemplate(image),
        spec: {
          containers: [
            {
              name: 'ray-head',
              image,
              imagePullPolicy: 'IfNotPresent',
              env: [
                ...headEnv,
                { name: 'RAY_REDIS_ADDRESS', value: 'redis.default.svc.cluster.local:6379' },
                {
                  name: 'REDIS_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'redis-password-secret', key: 'password' } },
                },
              ],
              ports: headPorts,
              resources: templateResources,
              volumeMounts: [podMount],
            },
          ],
          volumes: [podVolume('ray-example', files)],
        },
      },
    },
    // No rayStartParams in the request: left out, as Go's omitempty leaves out a nil map.
    workerGroupSpecs: [storedWorkers(image, { replicas: 1, minReplicas: 1 })],
  });
});

test('RayService from the serving cluster shape: serve ports, thresholds, labels, the answer field by field', async (t) => {
  const { api, ns } = await setup(t);
  const image = 'rayproject/ray:2.46.0-py310';
  const serveConfigV2 =
    'applications:\n  - name: fruit_app\n    import_path: fruit.deployment_graph\n    route_prefix: /fruit\n';
  const clusterSpec = {
    headGroupSpec: {
      computeTemplate: 'default-template',
      image,
      serviceType: 'ClusterIP',
      rayStartParams: { 'dashboard-host': '0.0.0.0', 'dashboard-agent-listen-port': '52365' },
    },
    workerGroupSpec: [
      requestedWorkers(image, { replicas: 1, rayStartParams: { 'node-ip-address': '$MY_POD_IP' } }),
    ],
  };
  const res = await api.call('POST', `/apis/v1/namespaces/${ns}/services`, {
    name: 'test-serve',
    namespace: ns,
    user: 'boris',
    serveConfigV2,
    serviceUnhealthySecondThreshold: 900,
    clusterSpec,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { createdAt, ...answer } = res.body;
  assert.match(createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(answer, {
    name: 'test-serve',
    namespace: ns,
    user: 'boris',
    serveConfigV2,
    serviceUnhealthySecondThreshold: 900,
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: 'default-template',
        image,
        serviceType: 'ClusterIP',
        rayStartParams: clusterSpec.headGroupSpec.rayStartParams,
        environment: {},
      },
      workerGroupSpec: [
        answeredWorkers(image, {
          replicas: 1,
          minReplicas: 1,
          rayStartParams: { 'node-ip-address': '$MY_POD_IP' },
        }),
      ],
    },
    // KubeRay's converter always sets the status message and a deletion time of -1 s when there is none.
    rayServiceStatus: {},
    deleteAt: '1969-12-31T23:59:59Z',
  });

  const { metadata, spec } = stored(await api.admin.get(Resources.rayServices, ns, 'test-serve'));
  assert.deepEqual(metadata.labels, {
    'ray.io/user': 'boris',
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/managed-by': 'kuberay-apiserver',
  });
  assert.deepEqual(withoutStamp(metadata.annotations), {});
  assert.equal(spec.serveConfigV2, serveConfigV2);
  assert.equal(spec.serviceUnhealthySecondThreshold, 900);
  assert.equal(spec.deploymentUnhealthySecondThreshold, undefined);
  const rcs = spec.rayClusterConfig;
  assert.equal(rcs.rayVersion, undefined);
  // A RayService's cluster always gets the serve ports (KubeRay builds it with enableServeService).
  assert.deepEqual(rcs.headGroupSpec.template.spec.containers[0].ports, [
    ...headPorts,
    { name: 'dashboard-agent', containerPort: 52365, protocol: 'TCP' },
    { name: 'serve', containerPort: 8000, protocol: 'TCP' },
  ]);
  assert.deepEqual(rcs.headGroupSpec.template.spec.containers[0].env, headEnv);
  assert.deepEqual(rcs.workerGroupSpecs[0].template.spec.containers, [workerContainer(image)]);
  assert.deepEqual(
    [
      rcs.workerGroupSpecs[0].replicas,
      rcs.workerGroupSpecs[0].minReplicas,
      rcs.workerGroupSpecs[0].maxReplicas,
    ],
    [1, 1, 5],
  );
});
