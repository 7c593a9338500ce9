// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
/**
 * `helm install` of the kuberay-apiserver chart with the API server really running as a pod (the local node maps
 * quay.io/kuberay/apiserver to src/main/apiserver.ts), in the default secure mode with the chart's RBAC only:
 * callers are checked with TokenReview / SubjectAccessReview and their calls made by impersonation.
 * Needs what the local node needs (root, network namespaces).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { installCrds } from '../../support/crds.ts';
import { eventually } from '../../support/eventually.ts';
import { type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';
import { chartPath, helm } from '../helm/helm.ts';

const skip = process.getuid?.() === 0 ? false : 'the local node needs root (network namespaces)';
const ns = 'apiserver-system';
let lc: LocalCluster | undefined;

before(async () => {
  if (skip) return;
  lc = await startLocalCluster();
  await installCrds(lc.client);
});
after(async () => {
  await lc?.stop();
});

test('helm install runs the API server; tokens, RBAC and impersonation work with the chart RBAC only', {
  skip,
  timeout: 600_000,
}, async () => {
  const cluster = lc!;
  const args = ['--namespace', ns, '--kubeconfig', cluster.kubeconfig, '--wait', '--timeout', '300s'];
  await helm(['install', 'kuberay-apiserver', chartPath('kuberay-apiserver'), '--create-namespace', ...args]);
  const pods = await cluster.client.request<{ items: any[] }>('GET', `/api/v1/namespaces/${ns}/pods`);
  assert.equal(pods.items.length, 1);
  const pod = pods.items[0];
  const base = `http://${pod.status.podIP}:8888`;
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.equal((await fetch(`${base}/readyz`)).status, 200);

  // A user with rights on ConfigMaps in one namespace only.
  const team = 'team-a';
  await cluster.client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: team } } });
  await cluster.client.request('POST', `/api/v1/namespaces/${team}/serviceaccounts`, {
    body: { metadata: { name: 'dev' } },
  });
  await cluster.client.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/roles`, {
    body: {
      metadata: { name: 'templates' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'delete'] }],
    },
  });
  await cluster.client.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings`, {
    body: {
      metadata: { name: 'dev-templates' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'templates' },
      subjects: [{ kind: 'ServiceAccount', name: 'dev', namespace: team }],
    },
  });
  const token = (
    await cluster.client.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${team}/serviceaccounts/dev/token`,
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
      },
    )
  ).status.token;
  const call = (method: string, path: string, body?: unknown, auth = true) =>
    fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const template = { name: 'small', namespace: team, cpu: 1, memory: 1 };
  const created = await eventually(
    async () => {
      const r = await call('POST', `/apis/v1/namespaces/${team}/compute_templates`, template);
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
      return r.json();
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  assert.deepEqual(created, template);
  assert.equal(
    (await call('GET', `/apis/v1/namespaces/${team}/compute_templates`, undefined, false)).status,
    401,
  );
  const other = await call('GET', '/apis/v1/namespaces/default/compute_templates');
  assert.equal(other.status, 403);
  assert.match(
    ((await other.json()) as any).message,
    /user "system:serviceaccount:team-a:dev" cannot list configmaps in namespace "default"/,
  );
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(
    metrics,
    /grpc_server_handled_total\{[^}]*grpc_method="CreateComputeTemplate",grpc_code="OK"\}/,
  );

  const log = await cluster.client.request<string>(
    'GET',
    `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`,
  );
  assert.doesNotMatch(
    String(log),
    /cannot check (the token|permissions)/,
    'the chart RBAC covers the reviews',
  );
  await helm(['uninstall', 'kuberay-apiserver', ...args]);
});
