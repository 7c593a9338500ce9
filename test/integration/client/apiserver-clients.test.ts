import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import {
  ApiServerError,
  ApiServerV1Client,
  ApiServerV2Client,
  type RayCluster,
} from '../../../clients/typescript/src/index.ts';
import { testNamespace } from '../../support/cluster.ts';
import { serviceAccountToken } from '../../support/service-account.ts';
import { startApiServer } from '../apiserver/harness.ts';

/**
 * The TypeScript SDK's API server clients (V1 and V2) against our API server, in this process, with Kubernetes
 * authentication, on the real control plane: a ServiceAccount token with a namespaced Role. No operator runs,
 * so clusters are objects only (what Ray does is the e2e suites' business).
 */
async function setup(t: TestContext) {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const ns = await testNamespace(t, 'apiclient');
  const token = await serviceAccountToken(api.admin.rest, ns, 'ml', {
    rules: [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'delete'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['get', 'list'] },
      { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['*'] },
    ],
  });
  return { ns, url: api.base, token };
}

async function rejects(p: Promise<unknown>, status: number, message: RegExp): Promise<ApiServerError> {
  const err = await p.then(
    () => assert.fail(`expected HTTP ${status}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiServerError, String(err));
  assert.equal(err.status, status, err.message);
  assert.match(err.message, message);
  return err;
}

test('V1 client: compute templates and clusters, errors with the server message', async (t) => {
  const { ns, url, token } = await setup(t);
  const api = new ApiServerV1Client({ url, token, bearer: true });

  await rejects(new ApiServerV1Client({ url }).listComputeTemplates(ns), 401, /Bearer/);
  const created = await api.createComputeTemplate({ name: 'small', namespace: ns, cpu: 1, memory: 2 });
  assert.deepEqual([created.name, created.cpu, created.memory], ['small', 1, 2]);
  assert.deepEqual(
    (await api.listComputeTemplates(ns)).map((x) => x.name),
    ['small'],
  );
  assert.equal((await api.getComputeTemplate(ns, 'small')).memory, 2);
  await rejects(api.createComputeTemplate({ name: 'small', namespace: ns, cpu: 1, memory: 2 }), 409, /small/);
  // All namespaces: this ServiceAccount may not list outside its own.
  await rejects(api.listComputeTemplates(), 403, /cannot list configmaps at the cluster scope/);

  const spec = {
    headGroupSpec: {
      computeTemplate: 'small',
      image: 'rayproject/ray:2.52.0',
      rayStartParams: { 'dashboard-host': '0.0.0.0' },
    },
    workerGroupSpec: [
      {
        groupName: 'w',
        computeTemplate: 'small',
        image: 'rayproject/ray:2.52.0',
        replicas: 1,
        minReplicas: 0,
        maxReplicas: 3,
        rayStartParams: {},
      },
    ],
  };
  const c = await api.createCluster({
    name: 'c1',
    namespace: ns,
    user: 'me',
    version: '2.52.0',
    clusterSpec: spec,
  });
  assert.equal(c.name, 'c1');
  assert.equal(c.clusterSpec?.workerGroupSpec?.[0]?.maxReplicas, 3);
  const got = await api.getCluster(ns, 'c1');
  assert.equal(got.clusterSpec?.headGroupSpec?.computeTemplate, 'small');
  const page = await api.listClusters(ns);
  assert.deepEqual(
    page.items.map((x) => x.name),
    ['c1'],
  );
  await rejects(
    api.createCluster({
      name: 'c2',
      namespace: ns,
      user: 'me',
      version: '2.52.0',
      clusterSpec: { headGroupSpec: { ...spec.headGroupSpec, computeTemplate: 'missing' } },
    }),
    // A create naming a template that does not exist is bad input: 400 naming the field (docs/apiserver.md).
    400,
    /missing.*computeTemplate/,
  );
  await api.deleteCluster(ns, 'c1');
  await rejects(api.getCluster(ns, 'c1'), 404, /c1/);
  await api.deleteComputeTemplate(ns, 'small');
  await rejects(api.getComputeTemplate(ns, 'small'), 404, /small/);
});

test('V2 client: create with a compute template, get, list, patch, delete, as the caller', async (t) => {
  const { ns, url, token } = await setup(t);
  const v1 = new ApiServerV1Client({ url, token, bearer: true });
  const api = new ApiServerV2Client({ url, token, bearer: true });
  await v1.createComputeTemplate({ name: 'small', namespace: ns, cpu: 1, memory: 2 });

  const manifest = {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'v2c', namespace: ns },
    spec: {
      headGroupSpec: {
        computeTemplate: 'small',
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
      },
    },
  };
  const created = await api.create<RayCluster>('rayclusters', manifest);
  const head = created.spec.headGroupSpec.template.spec?.containers?.[0];
  assert.equal(head?.resources?.limits?.cpu, '1', 'the template filled the resources');
  assert.equal(
    created.spec.headGroupSpec.template.metadata?.annotations?.['ray.io/compute-template'],
    'small',
    'the pod template names its compute template',
  );
  const got = await api.get<RayCluster>('rayclusters', ns, 'v2c');
  assert.equal(got.metadata.uid, created.metadata.uid);
  const list = await api.list<RayCluster>('rayclusters', ns);
  assert.deepEqual(
    list.items.map((x) => x.metadata.name),
    ['v2c'],
  );
  const patched = await api.patch<RayCluster>('rayclusters', ns, 'v2c', {
    metadata: { labels: { team: 'ml' } },
  });
  assert.equal(patched.metadata.labels?.team, 'ml');
  // RBAC applies to the caller, not the server: no rights on RayJobs.
  await rejects(api.list('rayjobs', ns), 403, /rayjobs/);
  await api.delete('rayclusters', ns, 'v2c');
  await rejects(api.get('rayclusters', ns, 'v2c'), 404, /v2c/);
});
