// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
/**
 * V2 pod logs (`GET /api/v1/namespaces/{ns}/pods/{name}/log`) through the API server in its secure mode: a
 * caller without a token gets 401, without `get pods` or `pods/log` rights 403 (Kubernetes' own message), a pod
 * that is not a Ray pod 404; with rights the log of a Ray pod is read, tailed and followed. The pods run on a
 * local node (real processes, real kubelet log endpoint) joined to the test control plane.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { LocalNode } from '../../../src/devcluster/node/local-node.ts';
import { testCluster, testNamespace, waitForAccess } from '../../support/cluster.ts';
import { eventually } from '../../support/eventually.ts';
import { startApiServer } from './harness.ts';

async function token(admin: any, ns: string, name: string): Promise<string> {
  await admin.rest.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    body: { metadata: { name } },
  });
  const tr = await admin.rest.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`, {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  return tr.status.token;
}

async function grant(admin: any, ns: string, sa: string, resources: string[]): Promise<void> {
  await admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: { metadata: { name: sa }, rules: [{ apiGroups: [''], resources, verbs: ['get'] }] },
  });
  await admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: {
      metadata: { name: sa },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
      subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
    },
  });
  for (const r of resources) {
    const [resource, subresource] = r.split('/') as [string, string?];
    await waitForAccess(admin.rest, `system:serviceaccount:${ns}:${sa}`, {
      namespace: ns,
      verb: 'get',
      resource,
      ...(subresource ? { subresource } : {}),
    } as any);
  }
}

test('V2 pod logs: 401, 403 without pods or pods/log, 404 for a non-Ray pod; read, tail and follow with rights', {
  timeout: 180_000,
}, async (t) => {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const { kubeconfig, client } = await testCluster();
  const ns = await testNamespace(t, 'podlog');
  const node = await LocalNode.start({
    kubeconfig,
    name: `podlog-${randomBytes(3).toString('hex')}`,
    cpu: '2',
    memory: '4Gi',
    // Cordoned: the pods of other suites on the shared control plane stay on their KWOK nodes.
    unschedulable: true,
  });
  t.after(() => node.stop());
  const pod = (name: string, labels: Record<string, string>, script: string) =>
    client.request('POST', `/api/v1/namespaces/${ns}/pods`, {
      body: {
        metadata: { name, labels },
        spec: {
          nodeName: node.name,
          restartPolicy: 'Never',
          containers: [{ name: 'ray-head', image: 'busybox', command: ['sh', '-c', script] }],
        },
      },
    });
  // A Ray pod that writes three lines, waits, writes a fourth and ends; a plain pod.
  await pod(
    'rc-head',
    { 'ray.io/cluster': 'rc', 'ray.io/node-type': 'head' },
    'echo one; echo two; echo three; sleep 3; echo four',
  );
  await pod('plain', {}, 'echo plain; sleep 600');
  await eventually(
    async () => {
      const p: any = await client.request('GET', `/api/v1/namespaces/${ns}/pods/rc-head`);
      if (!['Running', 'Succeeded'].includes(p.status?.phase)) throw new Error(`phase ${p.status?.phase}`);
    },
    { timeoutMs: 60_000 },
  );

  const path = (name: string, q = '') => `/api/v1/namespaces/${ns}/pods/${name}/log${q}`;
  const bearer = (tk: string) => ({ authorization: `Bearer ${tk}` });
  assert.equal((await api.call('GET', path('rc-head'))).status, 401);

  const nobody = await token(api.admin, ns, 'nobody');
  const denied = await api.call('GET', path('rc-head'), undefined, bearer(nobody));
  assert.equal(denied.status, 403);
  assert.match(denied.body.message, /cannot get resource "pods"/);

  const podsOnly = await token(api.admin, ns, 'pods-only');
  await grant(api.admin, ns, 'pods-only', ['pods']);
  const noLog = await api.call('GET', path('rc-head'), undefined, bearer(podsOnly));
  assert.equal(noLog.status, 403);
  assert.match(noLog.body.message, /cannot get resource "pods\/log"/);

  const reader = await token(api.admin, ns, 'reader');
  await grant(api.admin, ns, 'reader', ['pods', 'pods/log']);
  const plain = await api.call('GET', path('plain'), undefined, bearer(reader));
  assert.equal(plain.status, 404);
  assert.match(plain.body.message, /not a pod of a RayCluster/);
  const bad = await api.call('GET', path('rc-head', '?command=ls'), undefined, bearer(reader));
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /unknown parameter "command"/);

  // Follow: the answer stays open, the fourth line arrives later, and it ends with the container.
  const followed = await fetch(`${api.base}${path('rc-head', '?follow=true&container=ray-head')}`, {
    headers: bearer(reader),
  });
  assert.equal(followed.status, 200);
  assert.match(followed.headers.get('content-type') ?? '', /^text\/plain/);
  const reader2 = followed.body!.getReader();
  let text = '';
  while (!text.includes('three\n')) {
    const chunk = await reader2.read();
    assert.equal(chunk.done, false, `the log ended early: ${JSON.stringify(text)}`);
    text += new TextDecoder().decode(chunk.value);
  }
  for (;;) {
    const chunk = await reader2.read();
    if (chunk.done) break;
    text += new TextDecoder().decode(chunk.value);
  }
  assert.equal(text, 'one\ntwo\nthree\nfour\n');

  const tail = await api.call('GET', path('rc-head', '?tailLines=2'), undefined, bearer(reader));
  assert.equal(tail.status, 200);
  assert.equal(tail.body, 'three\nfour\n');
});
