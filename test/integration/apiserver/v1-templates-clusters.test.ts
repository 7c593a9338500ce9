// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { testNamespace } from '../../support/cluster.ts';
import { startApiServer } from './harness.ts';

// KubeRay's apiserver/docs/api-example/compute_template.json and jobsubmission_clusters.json (namespaced to the test).
const template = (ns: string) => ({ name: 'default-template', namespace: ns, cpu: 2, memory: 4 });
const cluster = (ns: string, name = 'test-cluster') => ({
  name,
  namespace: ns,
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
});

test('ComputeTemplateService: create, get, list, list all, duplicate, delete; stored as KubeRay stores it', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiv1');
  const base = `/apis/v1/namespaces/${ns}/compute_templates`;
  const created = await api.call('POST', base, template(ns));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.deepEqual(created.body, { name: 'default-template', namespace: ns, cpu: 2, memory: 4 });
  const cm: any = await api.admin.get(Resources.configMaps, ns, 'default-template');
  assert.deepEqual(cm.metadata.labels, {
    'ray.io/config-type': 'compute-template',
    'ray.io/compute-template': 'default-template',
  });
  assert.deepEqual(cm.data, {
    name: 'default-template',
    namespace: ns,
    cpu: '2',
    memory: '4',
    gpu: '0',
    gpu_accelerator: '',
    extended_resources: 'null',
  });

  assert.deepEqual((await api.call('GET', `${base}/default-template`)).body, created.body);
  assert.deepEqual((await api.call('GET', base)).body, { computeTemplates: [created.body] });
  const all = await api.call('GET', '/apis/v1/compute_templates');
  assert.ok(all.body.computeTemplates.some((x: any) => x.namespace === ns && x.name === 'default-template'));

  const dup = await api.call('POST', base, template(ns));
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.body, {
    code: 6,
    message: `Compute template with name default-template already exists in namespace ${ns}: Create compute template Runtime failed.: Already exist error: Compute template with name default-template already exists in namespace ${ns}`,
    details: [],
  });
  const missing = await api.call('GET', `${base}/nope`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 5);
  assert.match(
    missing.body.message,
    /^Compute template nope not found: Get compute template runtime failed\.: NotFoundError: Compute template nope not found: configmaps "nope" not found$/,
  );

  assert.deepEqual(await api.call('DELETE', `${base}/default-template`), { status: 200, body: {} });
  assert.equal((await api.call('GET', `${base}/default-template`)).status, 404);
});

test('bad input: 400 naming the field, nothing created', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiv1');
  const base = `/apis/v1/namespaces/${ns}/compute_templates`;
  const cases: [unknown, RegExp][] = [
    ['{"name": "x",', /^request body is not valid JSON: /],
    [{ ...template(ns), cpus: 2 }, /^unknown field "cpus" in computeTemplate \(ComputeTemplate\)$/],
    [{ ...template(ns), cpu: 'two' }, /^invalid value for computeTemplate\.cpu: want an integer \(uint32\)$/],
    [
      { name: 'x', namespace: ns, cpu: 1 },
      /^Memory amount is zero\. Please specify a valid value\.: Validate compute template runtime request failed\.: Invalid input error: Memory amount is zero/,
    ],
    [{ ...template(ns), name: 'Not_A_Name' }, /^Compute template name "Not_A_Name" is not valid: /],
    [
      { ...template(ns), namespace: 'elsewhere' },
      /^The namespace in the request is different from the namespace in the compute template definition\./,
    ],
  ];
  for (const [body, message] of cases) {
    const r = await api.call('POST', base, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, 3);
    assert.match(r.body.message, message);
    assert.deepEqual(r.body.details, []);
  }
  assert.deepEqual((await api.call('GET', base)).body, {});
  // Clusters: a template that does not exist, a bad name, a missing user: nothing is created.
  const cbase = `/apis/v1/namespaces/${ns}/clusters`;
  const noTemplate = await api.call('POST', cbase, cluster(ns));
  assert.equal(noTemplate.status, 400);
  assert.equal(noTemplate.body.code, 3);
  assert.match(
    noTemplate.body.message,
    /^Compute template default-template not found \(clusterSpec\.headGroupSpec\.computeTemplate\): Create Cluster failed\.: Failed to populate compute template for \(.*\/test-cluster\): NotFoundError: Compute template default-template not found: configmaps "default-template" not found$/,
  );
  // The head's template exists, a worker's does not: the field that names it.
  assert.equal((await api.call('POST', base, template(ns))).status, 200);
  const c = cluster(ns);
  const noWorkerTemplate = await api.call('POST', cbase, {
    ...c,
    clusterSpec: {
      ...c.clusterSpec,
      workerGroupSpec: [{ ...c.clusterSpec.workerGroupSpec[0], computeTemplate: 'gpu' }],
    },
  });
  assert.equal(noWorkerTemplate.status, 400);
  assert.match(
    noWorkerTemplate.body.message,
    /^Compute template gpu not found \(clusterSpec\.workerGroupSpec\[0\]\.computeTemplate\): Create Cluster failed\.: /,
  );
  const badName = await api.call('POST', cbase, cluster(ns, 'Test_Cluster'));
  assert.equal(badName.status, 400);
  assert.match(badName.body.message, /^Cluster name "Test_Cluster" is not valid: a DNS-1035 label/);
  const noUser = await api.call('POST', cbase, { ...cluster(ns), user: '' });
  assert.equal(noUser.status, 400);
  assert.match(noUser.body.message, /^User who create the cluster is empty\. Please specify a valid value\./);
  const badField = await api.call('POST', cbase, {
    ...cluster(ns),
    clusterSpec: { headGroupSpec: { computeTemplate: 't', cpu: 2 } },
  });
  assert.equal(badField.status, 400);
  assert.equal(
    badField.body.message,
    'unknown field "cpu" in cluster.clusterSpec.headGroupSpec (HeadGroupSpec)',
  );
  assert.deepEqual((await api.admin.list(Resources.rayClusters, { namespace: ns })).items, []);
});

test('ClusterService: create from a template, get, list, list all, delete', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiv1');
  assert.equal(
    (await api.call('POST', `/apis/v1/namespaces/${ns}/compute_templates`, template(ns))).status,
    200,
  );
  const base = `/apis/v1/namespaces/${ns}/clusters`;
  const created = await api.call('POST', base, cluster(ns));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const expectedSpec = {
    headGroupSpec: {
      computeTemplate: 'default-template',
      image: 'rayproject/ray:2.46.0-py310',
      rayStartParams: { 'dashboard-host': '0.0.0.0' },
      volumes: [
        {
          mountPath: '/home/ray/samples',
          volumeType: 3,
          name: 'code-sample',
          source: 'ray-job-code-sample',
          items: { 'sample_code.py': 'sample_code.py' },
        },
      ],
      environment: {},
    },
    workerGroupSpec: [
      {
        groupName: 'small-wg',
        computeTemplate: 'default-template',
        image: 'rayproject/ray:2.46.0-py310',
        replicas: 1,
        minReplicas: 1,
        maxReplicas: 1,
        environment: {},
      },
    ],
  };
  const c = created.body;
  assert.equal(c.name, 'test-cluster');
  assert.equal(c.namespace, ns);
  assert.equal(c.user, 'kuberay');
  assert.deepEqual(c.clusterSpec, expectedSpec);
  assert.match(c.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(Object.keys(c.annotations), ['ray.io/creation-timestamp']);
  assert.equal(c.environment, undefined, 'DEV (0) is omitted, as protojson omits zero enums');

  const rc: any = await api.admin.get(Resources.rayClusters, ns, 'test-cluster');
  assert.equal(rc.metadata.labels['app.kubernetes.io/managed-by'], 'kuberay-apiserver');
  assert.deepEqual(rc.spec.headGroupSpec.template.spec.containers[0].resources, {
    limits: { cpu: '2', memory: '4Gi' },
    requests: { cpu: '2', memory: '4Gi' },
  });

  const got = await api.call('GET', `${base}/test-cluster`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body.clusterSpec, expectedSpec);
  const listed = await api.call('GET', base);
  assert.deepEqual(
    listed.body.clusters.map((x: any) => x.name),
    ['test-cluster'],
  );
  const all = await api.call('GET', '/apis/v1/clusters');
  assert.ok(all.body.clusters.some((x: any) => x.namespace === ns && x.name === 'test-cluster'));

  // A RayCluster the API server did not create is not its to show (KubeRay: Unknown, HTTP 500).
  await api.admin.create(Resources.rayClusters, {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'foreign', namespace: ns },
    spec: rc.spec,
  });
  const foreign = await api.call('GET', `${base}/foreign`);
  assert.equal(foreign.status, 500);
  assert.equal(
    foreign.body.message,
    'Get cluster failed.: RayCluster with name foreign not managed by kuberay-apiserver',
  );
  assert.deepEqual(
    (await api.call('GET', base)).body.clusters.map((x: any) => x.name),
    ['test-cluster'],
  );

  // Job submission to a cluster that is not ready (no operator here): refused, clearly.
  const sub = await api.call('POST', `/apis/v1/namespaces/${ns}/jobsubmissions/test-cluster`, {
    entrypoint: 'echo hi',
  });
  assert.equal(sub.status, 400);
  assert.deepEqual(sub.body, { code: 9, message: 'cluster is not ready', details: [] });

  assert.deepEqual(await api.call('DELETE', `${base}/test-cluster`), { status: 200, body: {} });
  const gone = await api.call('GET', `${base}/test-cluster`);
  assert.equal(gone.status, 404);
  assert.match(
    gone.body.message,
    /^Cluster test-cluster not found: Get cluster failed\.: NotFoundError: Cluster test-cluster not found: rayclusters\.ray\.io "test-cluster" not found$/,
  );
});
