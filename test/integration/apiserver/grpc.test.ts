// biome-ignore-all lint/suspicious/noExplicitAny: generated clients are untyped
/** The V1 API over gRPC, called with a client generated at run time from our kuberay_api.proto. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ApiGrpcServer } from '../../../src/apiserver/grpc/server.ts';
import { testNamespace, waitForAccess } from '../../support/cluster.ts';
import { startApiServer } from './harness.ts';

const protoFile = join(import.meta.dirname, '../../../src/apiserver/grpc/kuberay_api.proto');
const pkg = grpc.loadPackageDefinition(
  loadSync(protoFile, { keepCase: false, longs: String, enums: Number, defaults: false }),
) as any;

function unary(client: any, method: string, request: unknown, metadata = new grpc.Metadata()): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](request, metadata, (err: grpc.ServiceError | null, res: unknown) =>
      err ? reject(err) : resolve(res),
    ),
  );
}

test('gRPC: templates and clusters through the same handlers, errors with their codes, secure mode', async (t) => {
  const api = await startApiServer(t, { auth: 'kubernetes' });
  const grpcServer = new ApiGrpcServer(api.server);
  const port = await grpcServer.listen('127.0.0.1:0');
  t.after(() => grpcServer.shutdown(1000));
  const ns = await testNamespace(t, 'apigrpc');
  await api.admin.rest.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    body: { metadata: { name: 'g' } },
  });
  await api.admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    body: {
      metadata: { name: 'r' },
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'events'], verbs: ['get', 'list', 'create', 'delete'] },
        { apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list', 'create', 'delete'] },
      ],
    },
  });
  await api.admin.rest.request('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    body: {
      metadata: { name: 'g' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'g', namespace: ns }],
    },
  });
  await waitForAccess(api.admin.rest, `system:serviceaccount:${ns}:g`, {
    namespace: ns,
    verb: 'list',
    resource: 'configmaps',
  });
  const token = (
    await api.admin.rest.request<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/g/token`,
      {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
      },
    )
  ).status.token;
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  const creds = grpc.credentials.createInsecure();
  const templates = new pkg.proto.ComputeTemplateService(`127.0.0.1:${port}`, creds);
  const clusters = new pkg.proto.ClusterService(`127.0.0.1:${port}`, creds);
  t.after(() => {
    templates.close();
    clusters.close();
  });

  await assert.rejects(
    unary(templates, 'ListComputeTemplates', { namespace: ns }),
    (e: grpc.ServiceError) => {
      assert.equal(e.code, grpc.status.UNAUTHENTICATED);
      assert.match(e.details, /^no credentials: send a Kubernetes bearer token/);
      return true;
    },
  );
  const created = await unary(
    templates,
    'CreateComputeTemplate',
    { namespace: ns, computeTemplate: { name: 'small', namespace: ns, cpu: 1, memory: 2 } },
    md,
  );
  assert.deepEqual({ ...created }, { name: 'small', namespace: ns, cpu: 1, memory: 2 });
  const listed = await unary(templates, 'ListComputeTemplates', { namespace: ns }, md);
  assert.deepEqual(
    listed.computeTemplates.map((x: any) => x.name),
    ['small'],
  );
  await assert.rejects(
    unary(
      templates,
      'CreateComputeTemplate',
      { namespace: ns, computeTemplate: { name: 'x', namespace: ns, cpu: 1 } },
      md,
    ),
    (e: grpc.ServiceError) => {
      assert.equal(e.code, grpc.status.INVALID_ARGUMENT);
      assert.match(
        e.details,
        /^Memory amount is zero\. Please specify a valid value\.: Validate compute template runtime request failed\./,
      );
      return true;
    },
  );
  await assert.rejects(
    unary(templates, 'ListComputeTemplates', { namespace: 'default' }, md),
    (e: grpc.ServiceError) => {
      assert.equal(e.code, grpc.status.PERMISSION_DENIED);
      assert.match(
        e.details,
        new RegExp(`user "system:serviceaccount:${ns}:g" cannot list configmaps in namespace "default"`),
      );
      return true;
    },
  );

  const c = await unary(
    clusters,
    'CreateCluster',
    {
      namespace: ns,
      cluster: {
        name: 'c1',
        namespace: ns,
        user: 'g',
        environment: 3,
        clusterSpec: {
          headGroupSpec: { computeTemplate: 'small', rayStartParams: { 'dashboard-host': '0.0.0.0' } },
        },
      },
    },
    md,
  );
  assert.equal(c.name, 'c1');
  assert.equal(c.environment, 3);
  assert.ok(Number(c.createdAt.seconds) > 0);
  const got = await unary(clusters, 'GetCluster', { namespace: ns, name: 'c1' }, md);
  assert.equal(got.clusterSpec.headGroupSpec.computeTemplate, 'small');
  const page = await unary(clusters, 'ListCluster', { namespace: ns, limit: 1 }, md);
  assert.deepEqual(
    page.clusters.map((x: any) => x.name),
    ['c1'],
  );
  await unary(clusters, 'DeleteCluster', { namespace: ns, name: 'c1' }, md);
  await assert.rejects(
    unary(clusters, 'GetCluster', { namespace: ns, name: 'c1' }, md),
    (e: grpc.ServiceError) => e.code === grpc.status.NOT_FOUND,
  );
  const metrics = await api.registry.metrics();
  assert.match(
    metrics,
    /grpc_server_handled_total\{grpc_type="unary",grpc_service="proto.ClusterService",grpc_method="DeleteCluster",grpc_code="OK"\} 1/,
  );
});
