// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
/**
 * `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews` through the API server in the secure mode: made as
 * the caller (impersonation), so a ServiceAccount with a RoleBinding in one namespace learns it may list there
 * and not elsewhere, nor across all namespaces (what the dashboard asks before choosing a namespace).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testNamespace } from '../../support/cluster.ts';
import { dashboardToken } from '../../support/dashboard.ts';
import { startApiServer } from './harness.ts';

const PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const listRayClusters = (namespace: string) => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  spec: { resourceAttributes: { group: 'ray.io', resource: 'rayclusters', verb: 'list', namespace } },
});

test('self access reviews answer for the caller: one namespace yes, another and all namespaces no', async (t) => {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const mine = await testNamespace(t, 'ssar');
  const other = await testNamespace(t, 'ssar');
  const token = await dashboardToken(api.admin.rest, mine, 'alice', { namespace: mine });
  const as = { authorization: `Bearer ${token}` };

  const allowed = async (ns: string) => {
    const r = await api.call('POST', PATH, listRayClusters(ns), as);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.kind, 'SelfSubjectAccessReview');
    return r.body.status?.allowed === true;
  };
  assert.equal(await allowed(mine), true);
  assert.equal(await allowed(other), false);
  assert.equal(await allowed(''), false, 'not across all namespaces');

  // Bad input: a clear 400 naming the field; no token: 401.
  const missing = await api.call('POST', PATH, { spec: {} }, as);
  assert.equal(missing.status, 400);
  assert.match(missing.body.message, /spec\.resourceAttributes: required/);
  const notJson = await api.call('POST', PATH, 'spec: {}', as);
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.message, /the body must be a JSON SelfSubjectAccessReview/);
  assert.equal((await api.call('POST', PATH, listRayClusters(mine))).status, 401);
});
