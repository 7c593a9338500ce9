// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testNamespace } from '../../support/cluster.ts';
import { serviceAccountToken } from '../../support/service-account.ts';
import { startApiServer } from './harness.ts';

const template = (ns: string) => ({ name: 'small', namespace: ns, cpu: 1, memory: 1 });

test('secure mode: no token, bad token, valid token without RBAC, RBAC in one namespace only', async (t) => {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const mine = await testNamespace(t, 'apiauth');
  const other = await testNamespace(t, 'apiauth');
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const path = `/apis/v1/namespaces/${mine}/compute_templates`;

  // 1. No token.
  assert.deepEqual(await api.call('GET', path), {
    status: 401,
    body: {
      code: 16,
      message:
        'no credentials: send a Kubernetes bearer token in the Authorization header ("Authorization: Bearer <token>")',
      details: [],
    },
  });
  assert.deepEqual(await api.call('GET', path, undefined, { authorization: 'Basic dXNlcjpwYXNz' }), {
    status: 401,
    body: { code: 16, message: 'the Authorization header is not of the form "Bearer <token>"', details: [] },
  });
  // 2. A token Kubernetes does not accept.
  const bad = await api.call('GET', path, undefined, bearer('not-a-real-token'));
  assert.equal(bad.status, 401);
  assert.equal(bad.body.code, 16);
  assert.match(bad.body.message, /^the bearer token was not accepted by Kubernetes \(TokenReview\): /);

  // 3. A valid ServiceAccount token with no RBAC at all.
  const nobody = await serviceAccountToken(api.admin.rest, mine, 'nobody');
  assert.deepEqual(await api.call('GET', path, undefined, bearer(nobody)), {
    status: 403,
    body: {
      code: 7,
      message: `user "system:serviceaccount:${mine}:nobody" cannot list configmaps in namespace "${mine}" (Kubernetes RBAC: no rule allows it)`,
      details: [],
    },
  });

  // 4. RBAC in one namespace only: everything there, nothing elsewhere, no cluster-wide lists.
  const alice = await serviceAccountToken(api.admin.rest, mine, 'alice', {
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'events'], verbs: ['get', 'list', 'create', 'delete'] },
      { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list', 'create', 'delete'] },
    ],
  });
  const created = await api.call('POST', path, template(mine), bearer(alice));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal((await api.call('GET', path, undefined, bearer(alice))).body.computeTemplates.length, 1);
  const elsewhere = await api.call(
    'POST',
    `/apis/v1/namespaces/${other}/compute_templates`,
    template(other),
    bearer(alice),
  );
  assert.deepEqual(elsewhere, {
    status: 403,
    body: {
      code: 7,
      message: `user "system:serviceaccount:${mine}:alice" cannot create configmaps in namespace "${other}" (Kubernetes RBAC: no rule allows it)`,
      details: [],
    },
  });
  assert.deepEqual(await api.call('GET', '/apis/v1/clusters', undefined, bearer(alice)), {
    status: 403,
    body: {
      code: 7,
      message: `user "system:serviceaccount:${mine}:alice" cannot list rayclusters.ray.io at the cluster scope (Kubernetes RBAC: no rule allows it)`,
      details: [],
    },
  });
  const cluster = {
    name: 'c1',
    namespace: mine,
    user: 'alice',
    clusterSpec: {
      headGroupSpec: { computeTemplate: 'small', rayStartParams: { 'dashboard-host': '0.0.0.0' } },
    },
  };
  const c = await api.call('POST', `/apis/v1/namespaces/${mine}/clusters`, cluster, bearer(alice));
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.deepEqual(
    (
      await api.call('GET', `/apis/v1/namespaces/${mine}/clusters`, undefined, bearer(alice))
    ).body.clusters.map((x: any) => x.name),
    ['c1'],
  );
  assert.equal(
    (await api.call('GET', `/apis/v1/namespaces/${other}/clusters`, undefined, bearer(alice))).status,
    403,
  );
});

test('impersonation: a call the route check allows still fails when Kubernetes refuses the caller a step', async (t) => {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const ns = await testNamespace(t, 'apiauth');
  await api.call('POST', `/apis/v1/namespaces/${ns}/compute_templates`, template(ns));
  // bob may create RayClusters but not read ConfigMaps, so the template lookup, made as bob, is refused.
  const bob = await serviceAccountToken(api.admin.rest, ns, 'bob', {
    rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['create', 'get'] }],
  });
  const r = await api.call(
    'POST',
    `/apis/v1/namespaces/${ns}/clusters`,
    {
      name: 'c2',
      namespace: ns,
      user: 'bob',
      clusterSpec: {
        headGroupSpec: { computeTemplate: 'small', rayStartParams: { 'dashboard-host': '0.0.0.0' } },
      },
    },
    { authorization: `Bearer ${bob}` },
  );
  assert.equal(r.status, 403, JSON.stringify(r.body));
  assert.equal(r.body.code, 7);
  assert.match(
    r.body.message,
    new RegExp(
      `configmaps "small" is forbidden: User "system:serviceaccount:${ns}:bob" cannot get resource "configmaps"`,
    ),
  );
});

test("KubeRay's security-proxy mode: the shared token, 401 without it", async (t) => {
  const api = await startApiServer(t, { auth: 'security-proxy', securityToken: 's3cret' });
  const ns = await testNamespace(t, 'apiauth');
  const path = `/apis/v1/namespaces/${ns}/compute_templates`;
  assert.deepEqual(await api.call('GET', path), {
    status: 401,
    body: {
      code: 16,
      message: 'no credentials: send the security token in the Authorization header',
      details: [],
    },
  });
  assert.equal((await api.call('GET', path, undefined, { authorization: 'wrong' })).status, 401);
  assert.deepEqual(await api.call('GET', path, undefined, { authorization: 's3cret' }), {
    status: 200,
    body: {},
  });
});
