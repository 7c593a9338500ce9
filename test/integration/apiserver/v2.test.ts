// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resources } from '../../../src/k8s/resources.ts';
import { testNamespace, waitForAccess } from '../../support/cluster.ts';
import { startApiServer } from './harness.ts';

const cluster = (name: string) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name, labels: { team: 'a' } },
  spec: {
    headGroupSpec: {
      computeTemplate: 'small',
      rayStartParams: {},
      template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.46.0' }] } },
    },
    workerGroupSpecs: [
      {
        groupName: 'w',
        replicas: 1,
        minReplicas: 1,
        maxReplicas: 1,
        computeTemplate: 'small',
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.46.0' }] } },
      },
    ],
  },
});

test('V2: ray.io passthrough with compute-template expansion (JSON and YAML), list, patch, delete', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiv2');
  await api.call('POST', `/apis/v1/namespaces/${ns}/compute_templates`, {
    name: 'small',
    namespace: ns,
    cpu: 1,
    memory: 2,
    tolerations: [{ key: 'ray', operator: 'Exists', effect: 'NoSchedule' }],
  });
  const base = `/apis/ray.io/v1/namespaces/${ns}/rayclusters`;
  const created = await api.call('POST', base, cluster('rc1'));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const stored: any = await api.admin.get(Resources.rayClusters, ns, 'rc1');
  const head = stored.spec.headGroupSpec;
  assert.equal(head.computeTemplate, undefined);
  assert.deepEqual(head.template.metadata.annotations, { 'ray.io/compute-template': 'small' });
  assert.deepEqual(head.template.spec.containers[0].resources, {
    limits: { cpu: '1', memory: '2Gi' },
    requests: { cpu: '1', memory: '2Gi' },
  });
  assert.deepEqual(stored.spec.workerGroupSpecs[0].template.spec.tolerations, [
    { key: 'ray', operator: 'Exists', effect: 'NoSchedule' },
  ]);

  const yaml = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: job1
spec:
  entrypoint: python -c "print(1)"
  rayClusterSpec:
    headGroupSpec:
      computeTemplate: small
      rayStartParams: {}
      template:
        spec:
          containers:
            - name: ray-head
              image: rayproject/ray:2.46.0
`;
  const job = await fetch(`${api.base}/apis/ray.io/v1/namespaces/${ns}/rayjobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml' },
    body: yaml,
  });
  assert.equal(job.status, 201, await job.clone().text());
  const rj: any = await api.admin.get(Resources.rayJobs, ns, 'job1');
  assert.deepEqual(rj.spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].resources.limits, {
    cpu: '1',
    memory: '2Gi',
  });

  const missing = await api.call('POST', base, {
    ...cluster('rc2'),
    spec: {
      ...cluster('rc2').spec,
      workerGroupSpecs: [{ ...cluster('rc2').spec.workerGroupSpecs[0], computeTemplate: 'huge' }],
    },
  });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.kind, 'Status');
  assert.equal(
    missing.body.message,
    `spec.workerGroupSpecs[0].computeTemplate: compute template "huge" not found in namespace "${ns}"`,
  );
  assert.equal((await api.call('GET', `${base}/rc2`)).status, 404);

  const list = await api.call('GET', `${base}?labelSelector=team%3Da`);
  assert.equal(list.status, 200);
  assert.deepEqual(
    list.body.items.map((x: any) => x.metadata.name),
    ['rc1'],
  );
  const page = await api.call('GET', `${base}?limit=1`);
  assert.equal(page.body.items.length, 1);

  const patched = await fetch(`${api.base}${base}/rc1`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { labels: { team: 'b' } } }),
  });
  assert.equal(patched.status, 200);
  assert.equal(((await patched.json()) as any).metadata.labels.team, 'b');
  const watch = await api.call('GET', `${base}?watch=true`);
  assert.equal(watch.status, 406, 'a watch is served as server-sent events only');
  assert.equal((await api.call('DELETE', `${base}/rc1`)).status, 200);
  const gone = await api.call('GET', `${base}/rc1`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.reason, 'NotFound');
});

test('V2: events filtered to ray.io objects; the service proxy serves KubeRay Services only', async (t) => {
  const api = await startApiServer(t);
  const ns = await testNamespace(t, 'apiv2');
  const event = (name: string, apiVersion: string, kind: string) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: ns },
    involvedObject: { apiVersion, kind, name: 'x', namespace: ns },
    reason: 'Test',
    message: name,
    type: 'Normal',
    firstTimestamp: new Date().toISOString(),
    lastTimestamp: new Date().toISOString(),
  });
  await api.admin.create(Resources.events, event('ray-event', 'ray.io/v1', 'RayCluster') as never);
  await api.admin.create(Resources.events, event('pod-event', 'v1', 'Pod') as never);
  const events = await api.call('GET', `/apis/events.k8s.io/v1/namespaces/${ns}/events`);
  assert.equal(events.status, 200);
  assert.deepEqual(
    events.body.items.map((e: any) => e.metadata.name),
    ['ray-event'],
  );
  assert.equal((await api.call('GET', `/api/v1/namespaces/${ns}/pods`)).status, 404);

  await api.admin.create(Resources.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'plain', namespace: ns },
    spec: { ports: [{ port: 80 }] },
  } as never);
  const plain = await api.call('GET', `/api/v1/namespaces/${ns}/services/plain:80/proxy/`);
  assert.equal(plain.status, 404);
  assert.equal(plain.body.message, 'services "plain" not found');
});

test('V2 in the secure mode: Kubernetes decides as for kubectl (impersonation)', async (t) => {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const mine = await testNamespace(t, 'apiv2');
  const other = await testNamespace(t, 'apiv2');
  await api.admin.rest.request('POST', `/api/v1/namespaces/${mine}/serviceaccounts`, {
    body: { metadata: { name: 'carol' } },
  });
  const token = (
    await api.admin.rest.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${mine}/serviceaccounts/carol/token`,
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
      },
    )
  ).status.token;
  await api.admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${mine}/roles`, {
    body: {
      metadata: { name: 'ray-view' },
      rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list'] }],
    },
  });
  await api.admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${mine}/rolebindings`, {
    body: {
      metadata: { name: 'carol-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ray-view' },
      subjects: [{ kind: 'ServiceAccount', name: 'carol', namespace: mine }],
    },
  });
  const auth = { authorization: `Bearer ${token}` };
  await waitForAccess(api.admin.rest, `system:serviceaccount:${mine}:carol`, {
    namespace: mine,
    verb: 'list',
    group: 'ray.io',
    resource: 'rayclusters',
  });
  const own = await api.call('GET', `/apis/ray.io/v1/namespaces/${mine}/rayclusters`, undefined, auth);
  assert.equal(own.status, 200, JSON.stringify(own.body));
  const elsewhere = await api.call('GET', `/apis/ray.io/v1/namespaces/${other}/rayclusters`, undefined, auth);
  assert.equal(elsewhere.status, 403);
  assert.equal(elsewhere.body.reason, 'Forbidden');
  assert.match(
    elsewhere.body.message,
    new RegExp(`User "system:serviceaccount:${mine}:carol" cannot list resource "rayclusters"`),
  );
  assert.equal((await api.call('GET', `/apis/ray.io/v1/namespaces/${mine}/rayclusters`)).status, 401);
});
