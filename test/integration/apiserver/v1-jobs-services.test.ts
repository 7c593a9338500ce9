// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { testNamespace } from '../../support/cluster.ts';
import { startApiServer } from './harness.ts';

const spec = {
  headGroupSpec: { computeTemplate: 'small', rayStartParams: { 'dashboard-host': '0.0.0.0' } },
  workerGroupSpec: [{ groupName: 'w', computeTemplate: 'small', replicas: 1, maxReplicas: 2 }],
};

test('RayJobService: create (selector and inline spec), get, list, list all with limit/continue, delete', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiv1j');
  await api.call('POST', `/apis/v1/namespaces/${ns}/compute_templates`, {
    name: 'small',
    namespace: ns,
    cpu: 1,
    memory: 1,
  });
  const base = `/apis/v1/namespaces/${ns}/jobs`;
  const sel = await api.call('POST', base, {
    name: 'job-sel',
    namespace: ns,
    user: 'u',
    entrypoint: 'python -c "print(1)"',
    clusterSelector: { 'ray.io/cluster': 'existing' },
  });
  assert.equal(sel.status, 200, JSON.stringify(sel.body));
  assert.deepEqual(
    { ...sel.body, createdAt: undefined },
    {
      name: 'job-sel',
      namespace: ns,
      user: 'u',
      entrypoint: 'python -c "print(1)"',
      clusterSelector: { 'ray.io/cluster': 'existing' },
      createdAt: undefined,
    },
  );
  const inline = await api.call('POST', base, {
    name: 'job-inline',
    namespace: ns,
    user: 'u',
    version: '2.46.0',
    entrypoint: 'python x.py',
    runtimeEnv: 'pip:\n- requests\n',
    shutdownAfterJobFinishes: true,
    ttlSecondsAfterFinished: 30,
    clusterSpec: spec,
    jobSubmitter: { image: 'rayproject/ray:2.46.0', cpu: '500m' },
    activeDeadlineSeconds: 600,
  });
  assert.equal(inline.status, 200, JSON.stringify(inline.body));
  assert.equal(inline.body.runtimeEnv, 'pip:\n- requests\n');
  assert.deepEqual(inline.body.jobSubmitter, { image: 'rayproject/ray:2.46.0', cpu: '500m' });
  assert.equal(inline.body.activeDeadlineSeconds, 600);
  assert.equal(inline.body.clusterSpec.headGroupSpec.computeTemplate, 'small');
  const rj: any = await api.admin.get(Resources.rayJobs, ns, 'job-inline');
  assert.equal(
    rj.spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].image,
    'rayproject/ray:2.46.0',
  );
  assert.equal(rj.spec.rayClusterSpec.rayVersion, '2.46.0');

  assert.equal((await api.call('GET', `${base}/job-sel`)).body.name, 'job-sel');
  assert.deepEqual((await api.call('GET', base)).body.jobs.map((j: any) => j.name).sort(), [
    'job-inline',
    'job-sel',
  ]);
  const page1 = await api.call('GET', `${base}?limit=1`);
  assert.equal(page1.body.jobs.length, 1);
  assert.ok(page1.body.continue, 'a continue token');
  const page2 = await api.call('GET', `${base}?limit=1&continue=${encodeURIComponent(page1.body.continue)}`);
  assert.equal(page2.body.jobs.length, 1);
  assert.notEqual(page2.body.jobs[0].name, page1.body.jobs[0].name);
  const all = await api.call('GET', '/apis/v1/jobs');
  assert.ok(all.body.jobs.some((j: any) => j.namespace === ns));

  const noEntry = await api.call('POST', base, {
    name: 'x',
    namespace: ns,
    user: 'u',
    clusterSelector: { a: 'b' },
  });
  assert.equal(noEntry.status, 400);
  assert.match(noEntry.body.message, /^Job entrypoint is empty/);
  assert.deepEqual(await api.call('DELETE', `${base}/job-sel`), { status: 200, body: {} });
  assert.equal((await api.call('GET', `${base}/job-sel`)).status, 404);
});

test('RayServeService: create, get, list (page size), update, list all, delete', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiv1s');
  await api.call('POST', `/apis/v1/namespaces/${ns}/compute_templates`, {
    name: 'small',
    namespace: ns,
    cpu: 1,
    memory: 1,
  });
  const base = `/apis/v1/namespaces/${ns}/services`;
  const serve = 'applications:\n  - name: fruit_app\n    import_path: fruit.deployment_graph\n';
  const created = await api.call('POST', base, {
    name: 'svc',
    namespace: ns,
    user: 'u',
    serveConfigV2: serve,
    clusterSpec: spec,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal(created.body.serveConfigV2, serve);
  assert.equal(
    created.body.deleteAt,
    '1969-12-31T23:59:59Z',
    'KubeRay writes Unix(-1) when not being deleted',
  );
  const ports = ((await api.admin.get(Resources.rayServices, ns, 'svc')) as any).spec.rayClusterConfig
    .headGroupSpec.template.spec.containers[0].ports;
  assert.ok(ports.some((p: any) => p.name === 'serve' && p.containerPort === 8000));
  assert.equal((await api.call('GET', `${base}/svc`)).body.name, 'svc');
  const listed = await api.call('GET', `${base}?pageSize=10`);
  assert.equal(listed.body.totalSize, 1);
  assert.equal(listed.body.services[0].name, 'svc');

  const updated = await api.call('PUT', `${base}/svc`, {
    name: 'svc',
    namespace: ns,
    user: 'u',
    serveConfigV2: `${serve}    route_prefix: /fruit\n`,
    clusterSpec: { ...spec, workerGroupSpec: [{ ...spec.workerGroupSpec[0], replicas: 2 }] },
  });
  assert.equal(updated.status, 200, JSON.stringify(updated.body));
  assert.equal(updated.body.clusterSpec.workerGroupSpec[0].replicas, 2);
  const stored: any = await api.admin.get(Resources.rayServices, ns, 'svc');
  assert.ok(stored.metadata.annotations['ray.io/update-timestamp']);
  const wrongName = await api.call('PUT', `${base}/svc`, {
    name: 'other',
    namespace: ns,
    user: 'u',
    serveConfigV2: serve,
    clusterSpec: spec,
  });
  assert.equal(wrongName.status, 400);
  const missing = await api.call('PUT', `${base}/nope`, {
    name: 'nope',
    namespace: ns,
    user: 'u',
    serveConfigV2: serve,
    clusterSpec: spec,
  });
  assert.equal(missing.status, 404, 'updating a service that does not exist');
  assert.ok((await api.call('GET', '/apis/v1/services')).body.services.some((s: any) => s.namespace === ns));
  assert.deepEqual(await api.call('DELETE', `${base}/svc`), { status: 200, body: {} });
  assert.equal((await api.call('GET', `${base}/svc`)).status, 404);
});
