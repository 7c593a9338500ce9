/** kuberay-apiserver chart: `helm lint`, rendering of its values and a server-side dry run (rendering only). */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { chartPath, dryRunApply, find, helm, type K8sObject, one, render } from './helm.ts';

const chart = chartPath('kuberay-apiserver');

before(async () => {
  await testCluster();
});

/** Dry-runs every object but the OpenShift Route (route.openshift.io is not served by the test cluster). */
async function dryRunAll(objs: readonly K8sObject[], ns: string) {
  const { client } = await testCluster();
  for (const obj of objs) if (obj.kind !== 'Route') await dryRunApply(client, obj, ns);
}

test('helm lint passes', async () => {
  assert.match(await helm(['lint', chart, '--strict']), /0 chart\(s\) failed/);
});

test('default values: APIServer behind the security proxy, cluster-wide RBAC with the v2 grants', async (t) => {
  const ns = await testNamespace(t, 'helm-api');
  const objs = await render(chart, { release: 'apiserver', namespace: ns });
  const deploy = one(objs, 'Deployment', 'kuberay-apiserver');
  const [api, proxy] = deploy.spec.template.spec.containers;
  assert.equal(api.name, 'kuberay-apiserver-container');
  assert.equal(api.image, 'quay.io/kuberay/apiserver:nightly');
  assert.deepEqual(api.args, ['--enable-api-server-v2=true']);
  assert.equal(proxy.name, 'security-proxy-container');
  assert.equal(proxy.image, 'quay.io/kuberay/security-proxy:nightly');
  const env = Object.fromEntries(proxy.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  assert.deepEqual(env, {
    ENABLE_GRPC: 'true',
    GRPC_LOCAL_PORT: '8987',
    HTTP_LOCAL_PORT: '8988',
    SECURITY_PREFIX: '/',
    SECURITY_TOKEN: '12345',
    HTTP_REMOTE_PORT: '8888',
    GRPC_REMOTE_PORT: '8887',
  });
  const svc = one(objs, 'Service', 'kuberay-apiserver-service');
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(
    svc.spec.ports.map((p: { name: string; port: number; targetPort: number }) => [
      p.name,
      p.port,
      p.targetPort,
    ]),
    [
      ['http', 8888, 8988],
      ['rpc', 8887, 8987],
    ],
  );
  assert.equal(svc.metadata.annotations?.['prometheus.io/port'], '8888');
  const role = one(objs, 'ClusterRole', 'kuberay-apiserver');
  assert.ok(role.rules.some((r: { resources: string[] }) => r.resources.includes('services/proxy')));
  assert.equal(one(objs, 'ClusterRoleBinding').subjects[0].namespace, ns);
  await dryRunAll(objs, ns);
});

test('security: null, CORS, v2 off, single namespace, ingress and route', async (t) => {
  const ns = await testNamespace(t, 'helm-api');
  const objs = await render(chart, {
    release: 'apiserver',
    namespace: ns,
    values: {
      security: null,
      cors: { allowOrigin: '*' },
      enableAPIServerV2: false,
      singleNamespaceInstall: true,
      ingress: {
        enabled: true,
        className: 'nginx',
        annotations: { a: 'b' },
        tls: [{ hosts: ['x.example'] }],
      },
      route: { enabled: true },
      labels: { team: 'ml' },
    },
  });
  const containers = one(objs, 'Deployment').spec.template.spec.containers;
  assert.equal(containers.length, 1, 'no security proxy');
  assert.deepEqual(containers[0].args, ['--enable-api-server-v2=false', '--cors-allow-origin=*']);
  const svc = one(objs, 'Service');
  assert.deepEqual(
    svc.spec.ports.map((p: { targetPort: number }) => p.targetPort),
    [8888, 8887],
  );
  assert.deepEqual(find(objs, 'ClusterRole'), []);
  const role = one(objs, 'Role', 'kuberay-apiserver');
  assert.equal(role.metadata.namespace, ns);
  assert.ok(!role.rules.some((r: { resources: string[] }) => r.resources.includes('services/proxy')));
  assert.equal(one(objs, 'RoleBinding').roleRef.kind, 'Role');
  const ing = one(objs, 'Ingress');
  assert.equal(ing.spec.ingressClassName, 'nginx');
  assert.equal(ing.spec.rules[0].http.paths[0].backend.service.name, 'kuberay-apiserver-service');
  assert.equal(one(objs, 'Route').spec.to.name, 'kuberay-apiserver-service');
  await dryRunAll(objs, ns);
});
