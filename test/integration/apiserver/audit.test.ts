// biome-ignore-all lint/suspicious/noExplicitAny: audit events and responses are untyped JSON
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startAuditedControlPlane } from '../../support/audited-control-plane.ts';
import { eventually } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { serviceAccountToken } from '../../support/service-account.ts';
import { startApiServer } from './harness.ts';

/**
 * The issue's promise for the secure mode: Kubernetes' audit log records each call as the caller, with the API
 * server as the impersonator. A private control plane (API server and etcd only) writes the audit log here.
 */
test('secure mode: the Kubernetes audit log shows each call made as the impersonated caller', {
  timeout: 300_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'apiaudit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { cp, auditLog } = await startAuditedControlPlane(dir, { apiOnly: true });
  t.after(() => cp.stop());
  const api = await startApiServer(t, { kubeconfig: cp.kubeconfig, auth: 'kubernetes' });
  const admin = api.admin.rest;
  await installCrds(admin);
  const ns = 'team-a';
  await admin.request('POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } });
  const token = await serviceAccountToken(admin, ns, 'alice', {
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'events'], verbs: ['get', 'list', 'create'] },
      { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list', 'create'] },
    ],
  });
  const alice = `system:serviceaccount:${ns}:alice`;
  const call = (method: string, path: string, body?: unknown) =>
    api.call(method, path, body, { authorization: `Bearer ${token}` });
  const v1 = `/apis/v1/namespaces/${ns}`;
  const tpl = await call('POST', `${v1}/compute_templates`, {
    name: 'small',
    namespace: ns,
    cpu: 1,
    memory: 1,
  });
  assert.equal(tpl.status, 200, JSON.stringify(tpl.body));
  const created = await call('POST', `${v1}/clusters`, {
    name: 'audited',
    namespace: ns,
    user: 'alice',
    clusterSpec: { headGroupSpec: { computeTemplate: 'small', rayStartParams: { 'num-cpus': '0' } } },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal((await call('GET', `${v1}/clusters/audited`)).status, 200);

  // Each call the API server made for alice is in the audit log as alice, impersonated by the server's identity.
  const adminUser = 'kuberay-ts-admin';
  // The last such call (creating a template first looks it up: a 404 as alice, also audited).
  const find = (events: any[], verb: string, resource: string, name?: string) =>
    events.findLast(
      (e) =>
        e.stage === 'ResponseComplete' &&
        e.verb === verb &&
        e.objectRef?.resource === resource &&
        e.objectRef?.namespace === ns &&
        (name === undefined || e.objectRef?.name === name),
    );
  const events = await eventually(
    async () => {
      const all = readFileSync(auditLog, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      for (const [verb, resource, name] of [
        ['create', 'configmaps'],
        ['get', 'configmaps', 'small'],
        ['create', 'rayclusters'],
        ['get', 'rayclusters', 'audited'],
      ] as const)
        if (!find(all, verb, resource, name)) throw new Error(`no audit event yet for ${verb} ${resource}`);
      return all;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  for (const [verb, resource, name] of [
    ['create', 'configmaps'],
    ['get', 'configmaps', 'small'],
    ['create', 'rayclusters'],
    ['get', 'rayclusters', 'audited'],
  ] as const) {
    const e = find(events, verb, resource, name);
    assert.equal(e.user.username, adminUser, `${verb} ${resource}: made by the API server's identity`);
    assert.equal(e.impersonatedUser?.username, alice, `${verb} ${resource}: as alice`);
    assert.ok(e.impersonatedUser.groups.includes(`system:serviceaccounts:${ns}`), 'with her groups');
    assert.equal(e.responseStatus.code, verb === 'create' ? 201 : 200);
  }
  // The server's own reviews are its own calls, not alice's.
  const review = events.find((e) => e.objectRef?.resource === 'subjectaccessreviews');
  assert.equal(review?.user.username, adminUser);
  assert.equal(review?.impersonatedUser, undefined);
  // And nothing was done for alice without impersonation: every namespaced call in team-a is hers.
  const unimpersonated = events.filter(
    (e) =>
      e.objectRef?.namespace === ns &&
      e.user.username === adminUser &&
      !e.impersonatedUser &&
      e.objectRef?.resource !== 'serviceaccounts' &&
      ['configmaps', 'rayclusters', 'events'].includes(e.objectRef?.resource) &&
      e.requestReceivedTimestamp >= find(events, 'create', 'configmaps').requestReceivedTimestamp,
  );
  assert.deepEqual(unimpersonated, []);
});
