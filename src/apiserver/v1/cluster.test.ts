// biome-ignore-all lint/suspicious/noExplicitAny: tests walk the untyped objects the builders return
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildError, buildRayCluster } from './cluster-build.ts';
import { rayClusterToApi } from './cluster-convert.ts';
import { buildRayJob, buildRayService, rayJobToApi, rayServiceToApi } from './job-service.ts';
import { Cluster, RayJob, RayService } from './messages.ts';
import { decodeMessage, encodeMessage } from './proto-json.ts';

// KubeRay's apiserver/docs/api-example/jobsubmission_clusters.json
const example = {
  name: 'test-cluster',
  namespace: 'default',
  user: 'kuberay',
  clusterSpec: {
    headGroupSpec: {
      computeTemplate: 'default-template',
      image: 'rayproject/ray:2.46.0-py310',
      rayStartParams: { 'dashboard-host': '0.0.0.0' },
      volumes: [
        {
          name: 'code-sample',
          mountPath: '/home/ray/samples',
          volumeType: 'CONFIGMAP',
          source: 'ray-job-code-sample',
          items: { 'sample_code.py': 'sample_code.py' },
        },
      ],
    },
    workerGroupSpec: [
      {
        groupName: 'small-wg',
        computeTemplate: 'default-template',
        image: 'rayproject/ray:2.46.0-py310',
        replicas: 1,
        minReplicas: 1,
        maxReplicas: 1,
      },
    ],
  },
};
const templates = new Map([
  [
    'default-template',
    {
      name: 'default-template',
      namespace: 'default',
      cpu: 2,
      memory: 4,
      gpu: 1,
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
    },
  ],
]);

test('a Cluster becomes the RayCluster KubeRay builds', () => {
  const rc = buildRayCluster(decodeMessage(Cluster, example, 'cluster'), templates, 'now') as any;
  assert.deepEqual(rc.metadata.labels, {
    'ray.io/cluster-name': 'test-cluster',
    'ray.io/user': 'kuberay',
    'ray.io/version': '',
    'ray.io/environment': 'DEV',
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/managed-by': 'kuberay-apiserver',
  });
  assert.deepEqual(rc.metadata.annotations, { 'ray.io/creation-timestamp': 'now' });
  const head = rc.spec.headGroupSpec.template;
  assert.deepEqual(head.metadata.annotations, {
    'ray.io/compute-template': 'default-template',
    'ray.io/compute-image': 'rayproject/ray:2.46.0-py310',
  });
  const c = head.spec.containers[0];
  assert.equal(c.name, 'ray-head');
  assert.deepEqual(c.resources.limits, { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' });
  assert.deepEqual(c.volumeMounts, [{ name: 'code-sample', mountPath: '/home/ray/samples' }]);
  assert.deepEqual(head.spec.volumes, [
    {
      name: 'code-sample',
      configMap: { name: 'ray-job-code-sample', items: [{ key: 'sample_code.py', path: 'sample_code.py' }] },
    },
  ]);
  assert.deepEqual(head.spec.tolerations, [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }]);
  const w = rc.spec.workerGroupSpecs[0];
  assert.deepEqual([w.groupName, w.replicas, w.minReplicas, w.maxReplicas], ['small-wg', 1, 1, 1]);
  assert.equal(w.template.spec.containers[0].name, 'ray-worker');
  assert.equal(w.template.spec.containers[0].env[1].value, 'worker');
});

test('the RayCluster reads back as the message that made it (plus state and timestamps)', () => {
  const rc = buildRayCluster(decodeMessage(Cluster, example, 'cluster'), templates, 'now') as any;
  rc.metadata.creationTimestamp = '2025-01-02T03:04:05Z';
  rc.status = { state: 'ready', endpoints: { dashboard: '8265' } };
  const api = encodeMessage(
    Cluster,
    rayClusterToApi(rc, [
      {
        metadata: { name: 'e1', creationTimestamp: '2025-01-02T03:04:06Z' },
        reason: 'Created',
        type: 'Normal',
        count: 1,
      },
    ]),
  );
  // The message reads back as the example, but for the volume type (its enum number) and an empty environment
  // on each group.
  const { headGroupSpec: head, workerGroupSpec: workers } = example.clusterSpec;
  assert.deepEqual(api, {
    ...example,
    clusterSpec: {
      headGroupSpec: { ...head, volumes: [{ ...head.volumes[0]!, volumeType: 3 }], environment: {} },
      workerGroupSpec: workers.map((w) => ({ ...w, environment: {} })),
    },
    annotations: { 'ray.io/creation-timestamp': 'now' },
    createdAt: '2025-01-02T03:04:05Z',
    clusterState: 'ready',
    events: [
      {
        id: 'e1',
        name: 'test-cluster-e1',
        createdAt: '2025-01-02T03:04:06Z',
        firstTimestamp: '0001-01-01T00:00:00Z',
        lastTimestamp: '0001-01-01T00:00:00Z',
        reason: 'Created',
        type: 'Normal',
        count: 1,
      },
    ],
    serviceEndpoint: { dashboard: '8265' },
  });
});

test('bad volume sizes are build errors, not crashes', () => {
  const bad = structuredClone(example) as any;
  bad.clusterSpec.headGroupSpec.volumes = [{ name: 'v', mountPath: '/x', volumeType: 'EPHEMERAL' }];
  assert.throws(
    () => buildRayCluster(decodeMessage(Cluster, bad, 'c'), templates, 'now'),
    (e) => e instanceof BuildError && /storage for ephemeral volume is empty/.test(e.message),
  );
});

test('RayJob and RayService round trips', () => {
  const job = decodeMessage(
    RayJob,
    {
      name: 'j',
      namespace: 'default',
      user: 'u',
      entrypoint: 'python x.py',
      clusterSpec: example.clusterSpec,
      shutdownAfterJobFinishes: true,
      ttlSecondsAfterFinished: 60,
      jobSubmitter: { image: 'rayproject/ray:2.46.0', cpu: '500m' },
    },
    'job',
  );
  const rj = buildRayJob(job, templates) as any;
  assert.equal(rj.spec.entrypoint, 'python x.py');
  assert.deepEqual(rj.spec.submitterPodTemplate.spec.containers[0].resources.limits, {
    cpu: '500m',
    memory: '1Gi',
  });
  const back = encodeMessage(
    RayJob,
    rayJobToApi({
      ...rj,
      metadata: { ...rj.metadata, creationTimestamp: '2025-01-01T00:00:00Z' },
      status: { jobStatus: 'RUNNING', jobDeploymentStatus: 'Running', rayClusterName: 'j-abc' },
    }),
  );
  assert.equal(back.entrypoint, 'python x.py');
  assert.equal(back.shutdownAfterJobFinishes, true);
  assert.equal(back.ttlSecondsAfterFinished, 60);
  assert.deepEqual(back.jobSubmitter, { image: 'rayproject/ray:2.46.0', cpu: '500m' });
  assert.equal(back.jobStatus, 'RUNNING');
  assert.equal(back.rayClusterName, 'j-abc');
  const svc = decodeMessage(
    RayService,
    {
      name: 's',
      namespace: 'default',
      user: 'u',
      serveConfigV2: 'applications: []',
      clusterSpec: example.clusterSpec,
    },
    'service',
  );
  const rs = buildRayService(svc, templates, { 'ray.io/creation-timestamp': 'now' }) as any;
  const headPorts = rs.spec.rayClusterConfig.headGroupSpec.template.spec.containers[0].ports.map(
    (p: any) => p.name,
  );
  assert.deepEqual(headPorts, ['redis', 'head', 'dashboard', 'metrics', 'dashboard-agent', 'serve']);
  const sv = encodeMessage(
    RayService,
    rayServiceToApi(
      {
        ...rs,
        status: {
          activeServiceStatus: {
            rayClusterName: 'rc',
            applicationStatuses: {
              app: { status: 'RUNNING', serveDeploymentStatuses: { d: { status: 'HEALTHY' } } },
            },
          },
        },
      },
      [],
    ),
  );
  assert.equal(sv.serveConfigV2, 'applications: []');
  assert.deepEqual(sv.rayServiceStatus, {
    rayClusterName: 'rc',
    serveApplicationStatus: [
      { name: 'app', status: 'RUNNING', serveDeploymentStatus: [{ deploymentName: 'd', status: 'HEALTHY' }] },
    ],
  });
  assert.equal(sv.deleteAt, '1969-12-31T23:59:59Z');
});

test("quantities are written in Go's canonical form; an empty version and absent rayStartParams are left out", () => {
  const big = new Map([
    [
      'big',
      {
        name: 'big',
        namespace: 'default',
        cpu: 1000,
        memory: 1024,
        gpu: 2000,
        extendedResources: { 'vpc.amazonaws.com/efa': 1 },
      },
    ],
  ]);
  const msg = decodeMessage(
    Cluster,
    {
      name: 'q',
      namespace: 'default',
      user: 'u',
      clusterSpec: {
        enableInTreeAutoscaling: true,
        autoscalerOptions: { cpu: '0.5', memory: '1024Mi' },
        headGroupSpec: {
          computeTemplate: 'big',
          rayStartParams: { 'num-cpus': '0' },
          volumes: [{ name: 'scratch', mountPath: '/tmp/s', volumeType: 'EMPTY_DIR', storage: '0.5Gi' }],
        },
        workerGroupSpec: [
          {
            groupName: 'w',
            computeTemplate: 'big',
            maxReplicas: 1,
            volumes: [{ name: 'e', mountPath: '/e', volumeType: 'EPHEMERAL', storage: '2048Mi' }],
          },
        ],
      },
    },
    'cluster',
  );
  const rc = buildRayCluster(msg, big, 'now') as any;
  assert.equal('rayVersion' in rc.spec, false);
  const limits = { cpu: '1k', memory: '1Ti', 'nvidia.com/gpu': '2k', 'vpc.amazonaws.com/efa': '1' };
  assert.deepEqual(rc.spec.headGroupSpec.template.spec.containers[0].resources, { limits, requests: limits });
  assert.deepEqual(rc.spec.headGroupSpec.template.spec.volumes, [
    { name: 'scratch', emptyDir: { sizeLimit: '512Mi' } },
  ]);
  const w = rc.spec.workerGroupSpecs[0];
  assert.equal('rayStartParams' in w, false);
  assert.equal(
    w.template.spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources.requests.storage,
    '2Gi',
  );
  const auto = { cpu: '500m', memory: '1Gi' };
  assert.deepEqual(rc.spec.autoscalerOptions.resources, { limits: auto, requests: auto });
  assert.throws(
    () => buildRayCluster(msg, new Map([['big', { ...big.get('big')!, memoryUnit: 'GB' }]]), 'now'),
    (e: Error) =>
      e instanceof BuildError &&
      /memory of compute template big is not a valid quantity: 1024GB/.test(e.message),
  );
});

test("the RayJob submitter's resources are written in Go's canonical form; a malformed one is KubeRay's error", () => {
  const job = (jobSubmitter: Record<string, string>) =>
    buildRayJob(
      decodeMessage(
        RayJob,
        {
          name: 'j',
          namespace: 'default',
          user: 'u',
          entrypoint: 'x',
          clusterSelector: { a: 'b' },
          jobSubmitter,
        },
        'job',
      ),
      templates,
    ) as any;
  const c = job({ image: 'rayproject/ray:2.46.0', cpu: '0.5', memory: '1024Mi' }).spec.submitterPodTemplate
    .spec.containers[0];
  assert.deepEqual(c.resources, {
    limits: { cpu: '500m', memory: '1Gi' },
    requests: { cpu: '500m', memory: '1Gi' },
  });
  assert.throws(
    () => job({ image: 'i', cpu: 'lots' }),
    (e: Error) =>
      e instanceof BuildError && /^cpu for ray job submitter lots is not specified correctly/.test(e.message),
  );
});
