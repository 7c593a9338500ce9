// biome-ignore-all lint/suspicious/noExplicitAny: responses are untyped JSON
/**
 * End to end with real Ray, through the API server in its secure mode: a ServiceAccount with RBAC in one
 * namespace creates a compute template and a cluster from it (V1), waits for the operator to make it ready,
 * submits a job through `jobsubmissions` (the dashboard reached through the Kubernetes service proxy, as the
 * caller), follows it to SUCCEEDED, reads its log, stops a second, long job, and deletes the cluster.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createApiServer } from '../../src/apiserver/app.ts';
import { KubeClient } from '../../src/k8s/client.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import { nullLogger } from '../../src/lib/logger.ts';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { createNamespace } from '../support/local-cluster.ts';
import { serviceAccountToken } from '../support/service-account.ts';

const e2e = useOperatorCluster();

test('V1: template -> cluster -> job submission to SUCCEEDED -> log -> delete, as an RBAC-limited user', {
  skip: raySkip,
  timeout: 900_000,
}, async (t) => {
  const lc = e2e.lc;
  const admin = KubeClient.fromAccess(loadKubeconfig(lc.kubeconfig), { qps: 0 });
  const server = createApiServer({
    kube: admin,
    logger: nullLogger,
    registry: new Registry(),
    auth: 'kubernetes',
  });
  const port = await server.listen(0, '127.0.0.1');
  t.after(async () => {
    await server.shutdown(1000);
    admin.rest.close();
  });
  const ns = await createNamespace(lc.client, 'api-e2e');
  const token = await serviceAccountToken(lc.client, ns, 'ml', {
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'events'], verbs: ['get', 'list', 'create', 'delete'] },
      { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list', 'create', 'delete'] },
      { apiGroups: [''], resources: ['services/proxy'], verbs: ['get', 'create', 'delete'] },
    ],
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const v1 = `/apis/v1/namespaces/${ns}`;
  assert.equal(
    (await call('POST', `${v1}/compute_templates`, { name: 'head-t', namespace: ns, cpu: 1, memory: 2 }))
      .status,
    200,
  );
  const created = await call('POST', `${v1}/clusters`, {
    name: 'c1',
    namespace: ns,
    user: 'ml',
    version: '2.52.0',
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: 'head-t',
        image: 'rayproject/ray:2.52.0',
        rayStartParams: { 'dashboard-host': '0.0.0.0', 'num-cpus': '1' },
      },
    },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));

  const ready = await eventually(
    async () => {
      const r = await call('GET', `${v1}/clusters/c1`);
      if (r.body.clusterState !== 'ready')
        throw new Error(`cluster state: ${r.body.clusterState ?? '(none)'}`);
      return r.body;
    },
    { timeoutMs: 300_000, intervalMs: 2000 },
  ).catch((err) => e2e.onFailure(err));
  assert.equal(ready.clusterSpec.headGroupSpec.computeTemplate, 'head-t');
  assert.ok(ready.serviceEndpoint?.dashboard, 'the dashboard endpoint is reported');

  const submitted = await eventually(
    async () => {
      const r = await call('POST', `${v1}/jobsubmissions/c1`, {
        entrypoint: 'python -c "import ray; ray.init(); print(\'hello from the api server\')"',
        metadata: { owner: 'ml' },
      });
      if (r.status !== 200) throw new Error(`submit: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    { timeoutMs: 120_000, intervalMs: 2000 },
  );
  const id = submitted.submissionId as string;
  assert.match(id, /^raysubmit_/);
  const done = await eventually(
    async () => {
      const r = await call('GET', `${v1}/jobsubmissions/c1/${id}`);
      if (r.status !== 200) throw new Error(`details: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
      if (r.body.status === 'FAILED' || r.body.status === 'STOPPED') return r.body;
      if (r.body.status !== 'SUCCEEDED') throw new Error(`job status: ${r.body.status}`);
      return r.body;
    },
    { timeoutMs: 300_000, intervalMs: 2000 },
  );
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done));
  assert.equal(done.submissionId, id);
  assert.deepEqual(done.metadata, { owner: 'ml' });
  assert.ok(Number(done.startTime) > 0 && Number(done.endTime) >= Number(done.startTime));
  const log = await call('GET', `${v1}/jobsubmissions/c1/log/${id}`);
  assert.match(log.body.log, /hello from the api server/);
  const list = await call('GET', `${v1}/jobsubmissions/c1`);
  assert.ok(list.body.submissions.some((s: any) => s.submissionId === id));
  assert.deepEqual(await call('DELETE', `${v1}/jobsubmissions/c1/${id}`), { status: 200, body: {} });

  // StopRayJob: a job that would run for ten minutes is stopped through the API server.
  const long = await call('POST', `${v1}/jobsubmissions/c1`, {
    entrypoint: 'python -c "import time; time.sleep(600)"',
  });
  assert.equal(long.status, 200, JSON.stringify(long.body));
  const longId = long.body.submissionId as string;
  assert.deepEqual(await call('POST', `${v1}/jobsubmissions/c1/${longId}`), { status: 200, body: {} });
  const stopped = await eventually(
    async () => {
      const r = await call('GET', `${v1}/jobsubmissions/c1/${longId}`);
      if (r.body.status !== 'STOPPED') throw new Error(`job status: ${r.body.status}`);
      return r.body;
    },
    { timeoutMs: 120_000, intervalMs: 2000 },
  );
  assert.equal(stopped.submissionId, longId);

  assert.deepEqual(await call('DELETE', `${v1}/clusters/c1`), { status: 200, body: {} });
  assert.equal((await call('GET', `${v1}/clusters/c1`)).status, 404);
});
