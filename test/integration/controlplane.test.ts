import assert from 'node:assert/strict';
import { type AddressInfo, createServer } from 'node:net';
import { test } from 'node:test';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';
import { isNotFound } from '../../src/k8s/api-error.ts';
import { freePort } from '../../src/lib/ports.ts';
import { eventually, testCluster, testNamespace } from '../support/cluster.ts';

interface Meta {
  metadata: { name: string; uid: string; resourceVersion: string; ownerReferences?: unknown[] };
}
interface PodLike extends Meta {
  spec: { nodeName?: string };
  status?: { phase?: string };
}
interface List<T> {
  items: T[];
}

const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...extra },
  spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
});

test('a ConfigMap round-trips through the real API server', async (t) => {
  const { client } = await testCluster();
  const ns = await testNamespace(t);
  const data = { 'a.txt': 'hello', 'b.json': '{"x":1}', unicode: 'héllo ✓' };
  const created = await client.request<Meta & { data: Record<string, string> }>(
    'POST',
    `/api/v1/namespaces/${ns}/configmaps`,
    {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { app: 'x' } }, data },
    },
  );
  assert.ok(created.metadata.uid, 'the server assigns a uid');
  const got = await client.request<Meta & { data: Record<string, string> }>(
    'GET',
    `/api/v1/namespaces/${ns}/configmaps/cm`,
  );
  assert.deepEqual(got.data, data);
  assert.equal(got.metadata.uid, created.metadata.uid);
  await client.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/cm`);
  await assert.rejects(client.request('GET', `/api/v1/namespaces/${ns}/configmaps/cm`), isNotFound);
});

test('the garbage collector deletes a Pod whose owner ConfigMap is deleted', async (t) => {
  const { client } = await testCluster();
  const ns = await testNamespace(t);
  const owner = await client.request<Meta>('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } },
  });
  const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid };
  await client.request('POST', `/api/v1/namespaces/${ns}/pods`, {
    body: pod('owned', { ownerReferences: [ownerRef] }),
  });
  await client.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`, {
    body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
  });
  await eventually(
    async () => {
      await assert.rejects(client.request('GET', `/api/v1/namespaces/${ns}/pods/owned`), isNotFound);
    },
    { timeoutMs: 30_000 },
  );
});

test('a batch Job creates its Pod (the Job controller runs)', async (t) => {
  const { client } = await testCluster();
  const ns = await testNamespace(t);
  await client.request('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
    body: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job' },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] },
        },
      },
    },
  });
  const pods = await eventually(
    async () => {
      const list = await client.request<List<PodLike>>('GET', `/api/v1/namespaces/${ns}/pods`, {
        query: { labelSelector: 'job-name=job' },
      });
      assert.equal(list.items.length, 1);
      return list.items;
    },
    { timeoutMs: 30_000 },
  );
  assert.ok(pods[0]!.metadata.ownerReferences?.length, 'the Job owns its Pod');
});

test('with the scheduler and KWOK, a Pod becomes Running on a fake node', async (t) => {
  const { client } = await testCluster();
  const ns = await testNamespace(t);
  await client.request('POST', `/api/v1/namespaces/${ns}/pods`, {
    body: { ...pod('runs'), spec: { ...pod('runs').spec, nodeSelector: { type: 'kwok' } } },
  });
  const running = await eventually(
    async () => {
      const p = await client.request<PodLike>('GET', `/api/v1/namespaces/${ns}/pods/runs`);
      assert.equal(p.status?.phase, 'Running');
      return p;
    },
    { timeoutMs: 60_000 },
  );
  assert.match(running.spec.nodeName ?? '', /^kwok-node-/);
});

test('a port taken between picking and binding: the control plane starts again on new ports', async (t) => {
  // A port that is in use for the whole test: kube-apiserver gets it on the first attempt.
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  t.after(() => blocker.close());
  const taken = (blocker.address() as AddressInfo).port;
  const picks: number[] = [];
  const lines: string[] = [];
  const cp = await ControlPlane.start({
    progress: (l) => lines.push(l),
    pickPorts: async () => {
      const ports = [
        await freePort(),
        await freePort(),
        picks.length === 0 ? taken : await freePort(),
      ] as const;
      picks.push(ports[2]);
      return ports;
    },
  });
  t.after(() => cp.stop());
  assert.equal(picks.length, 2, 'a second attempt');
  assert.notEqual(new URL(cp.server).port, String(taken));
  assert.ok(
    lines.some((l) =>
      /port was taken meanwhile \(kube-apiserver exited with 1: .*address already in use/.test(l),
    ),
    lines.join('\n'),
  );
  const client = cp.client();
  t.after(() => client.close());
  await client.request('GET', '/readyz');
});
