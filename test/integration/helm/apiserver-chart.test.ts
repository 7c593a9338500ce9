/** kuberay-apiserver chart: `helm lint`, rendering of its values and a server-side dry run (rendering only). */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { buildApiServerConfig } from '../../../src/apiserver/config.ts';
import { testCluster, testNamespace } from '../../support/cluster.ts';
import { chartPath, dryRunApply, find, helm, type K8sObject, one, render } from './helm.ts';

const chart = chartPath('kuberay-apiserver');

before(async () => {
  await testCluster();
});

/** Whether a Role's or ClusterRole's rules grant `verb` on `group`/`resource`. */
function grants(role: K8sObject, group: string, resource: string, verb: string): boolean {
  return (role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]).some(
    (r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb),
  );
}

/** Dry-runs every object but the OpenShift Route (route.openshift.io is not served by the test cluster). */
async function dryRunAll(objs: readonly K8sObject[], ns: string) {
  const { client } = await testCluster();
  for (const obj of objs) if (obj.kind !== 'Route') await dryRunApply(client, obj, ns);
}

test('helm lint passes', async () => {
  assert.match(await helm(['lint', chart, '--strict']), /0 chart\(s\) failed/);
});

test('default values: secure mode (TokenReview, SubjectAccessReview, impersonation), no sidecar', async (t) => {
  const ns = await testNamespace(t, 'helm-api');
  const objs = await render(chart, { release: 'apiserver', namespace: ns });
  const deploy = one(objs, 'Deployment', 'kuberay-apiserver');
  const containers = deploy.spec.template.spec.containers;
  assert.equal(containers.length, 1, 'the APIServer checks callers itself: no security-proxy sidecar');
  const [api] = containers;
  assert.equal(api.name, 'kuberay-apiserver-container');
  assert.equal(api.image, 'quay.io/kuberay/apiserver:nightly');
  assert.deepEqual(api.args, ['--enable-api-server-v2=true', '--auth=kubernetes']);
  assert.equal(api.env, undefined);
  assert.equal(api.readinessProbe.httpGet.path, '/readyz');
  const svc = one(objs, 'Service', 'kuberay-apiserver-service');
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.deepEqual(
    svc.spec.ports.map((p: { name: string; port: number; targetPort: number }) => [
      p.name,
      p.port,
      p.targetPort,
    ]),
    [
      ['http', 8888, 8888],
      ['rpc', 8887, 8887],
    ],
  );
  assert.equal(svc.metadata.annotations?.['prometheus.io/port'], '8888');
  const auth = one(objs, 'ClusterRole', 'kuberay-apiserver-auth');
  const verbsOn = (resource: string) =>
    auth.rules
      .filter((r: { resources: string[] }) => r.resources.includes(resource))
      .flatMap((r: { verbs: string[] }) => r.verbs);
  assert.deepEqual(verbsOn('tokenreviews'), ['create']);
  assert.deepEqual(verbsOn('subjectaccessreviews'), ['create']);
  assert.deepEqual(verbsOn('users'), ['impersonate']);
  assert.deepEqual(verbsOn('groups'), ['impersonate']);
  assert.deepEqual(
    find(objs, 'ClusterRole', 'kuberay-apiserver'),
    [],
    'no rights of its own on ray.io objects',
  );
  assert.equal(one(objs, 'ClusterRoleBinding').subjects[0].namespace, ns);
  await dryRunAll(objs, ns);
});

test("auth.mode security-proxy: KubeRay's token from security.env, cluster-wide RBAC with the v2 grants", async (t) => {
  const ns = await testNamespace(t, 'helm-api');
  const objs = await render(chart, {
    release: 'apiserver',
    namespace: ns,
    values: { auth: { mode: 'security-proxy' } },
  });
  const [api] = one(objs, 'Deployment').spec.template.spec.containers;
  assert.deepEqual(api.args, ['--enable-api-server-v2=true', '--auth=security-proxy']);
  assert.deepEqual(api.env, [
    { name: 'SECURITY_TOKEN', value: '12345' },
    { name: 'SECURITY_PREFIX', value: '/' },
  ]);
  const role = one(objs, 'ClusterRole', 'kuberay-apiserver');
  assert.ok(role.rules.some((r: { resources: string[] }) => r.resources.includes('services/proxy')));
  // The V2 pod routes (the pods of a RayCluster, listed or watched, and a Ray pod's log) and the events watch
  // run as the server's own ServiceAccount in this mode.
  for (const [group, resource, verb] of [
    ['', 'pods', 'get'],
    ['', 'pods', 'list'],
    ['', 'pods', 'watch'],
    ['', 'pods/log', 'get'],
    ['events.k8s.io', 'events', 'list'],
    ['events.k8s.io', 'events', 'watch'],
    // V2 serves RayCronJobs too, and its service proxy passes any method.
    ['ray.io', 'raycronjobs', 'create'],
    ['ray.io', 'raycronjobs', 'watch'],
    ['', 'services/proxy', 'create'],
    ['', 'services/proxy', 'patch'],
  ] as const)
    assert.ok(grants(role, group, resource, verb), `${verb} ${group}/${resource}`);
  assert.ok(!grants(role, '', 'pods', 'delete'), 'read-only on pods');
  assert.deepEqual(find(objs, 'ClusterRole', 'kuberay-apiserver-auth'), []);
  await assert.rejects(
    render(chart, { release: 'apiserver', namespace: ns, values: { auth: { mode: 'open' } } }),
    /auth.mode: "open" is not one of kubernetes, security-proxy, none/,
  );
  await dryRunAll(objs, ns);
});

test('security: null, CORS, v2 off, single namespace, ingress and route', async (t) => {
  const ns = await testNamespace(t, 'helm-api');
  const objs = await render(chart, {
    release: 'apiserver',
    namespace: ns,
    values: {
      security: null,
      auth: { mode: 'none' },
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
  assert.deepEqual(containers[0].args, [
    '--enable-api-server-v2=false',
    '--cors-allow-origin=*',
    '--auth=none',
  ]);
  const svc = one(objs, 'Service');
  assert.deepEqual(
    svc.spec.ports.map((p: { targetPort: number }) => p.targetPort),
    [8888, 8887],
  );
  assert.deepEqual(find(objs, 'ClusterRole'), []);
  const role = one(objs, 'Role', 'kuberay-apiserver');
  assert.equal(role.metadata.namespace, ns);
  // V1 job submissions go through the service proxy as the server's own ServiceAccount in this mode.
  for (const verb of ['get', 'create', 'delete'])
    assert.ok(grants(role, '', 'services/proxy', verb), `${verb} services/proxy for V1 job submissions`);
  assert.ok(!grants(role, '', 'services/proxy', 'patch'), 'V2 proxy methods only with V2 on');
  assert.ok(!grants(role, 'ray.io', 'raycronjobs', 'get'), 'RayCronJobs only through V2');
  assert.ok(!grants(role, '', 'pods', 'get'), 'no V2 pod routes with V2 off');
  assert.ok(!grants(role, '', 'pods/log', 'get'), 'no V2 pod routes with V2 off');
  assert.equal(one(objs, 'RoleBinding').roleRef.kind, 'Role');
  const ing = one(objs, 'Ingress');
  assert.equal(ing.spec.ingressClassName, 'nginx');
  assert.equal(ing.spec.rules[0].http.paths[0].backend.service.name, 'kuberay-apiserver-service');
  assert.equal(one(objs, 'Route').spec.to.name, 'kuberay-apiserver-service');
  await dryRunAll(objs, ns);
});

test('dashboard: served from the image by default; dashboard.enabled=false and dashboard.dir reach the args', async (t) => {
  const ns = await testNamespace(t, 'helm-api');
  const argsOf = async (values: Record<string, unknown>) => {
    const objs = await render(chart, { release: 'apiserver', namespace: ns, values });
    return one(objs, 'Deployment').spec.template.spec.containers[0].args as string[];
  };
  // The API server reads the rendered args as it would in the container.
  const dashboardDir = (args: string[]) => {
    const r = buildApiServerConfig(args, {});
    return r.kind === 'config' ? r.config.dashboardDir : assert.fail(`not a configuration: ${r.kind}`);
  };
  const defaults = await argsOf({});
  assert.ok(!defaults.some((a) => a.startsWith('--dashboard-dir')), defaults.join(' '));
  assert.equal(dashboardDir(defaults), '', "the image's own build (/app/dashboard/dist)");
  const off = await argsOf({ dashboard: { enabled: false } });
  assert.deepEqual(off, ['--enable-api-server-v2=true', '--auth=kubernetes', '--dashboard-dir=none']);
  assert.equal(dashboardDir(off), 'none');
  const mounted = await argsOf({ dashboard: { dir: '/srv/dashboard' } });
  assert.deepEqual(mounted.at(-1), '--dashboard-dir=/srv/dashboard');
  assert.equal(dashboardDir(mounted), '/srv/dashboard');
  await assert.rejects(
    argsOf({ dashboard: { enabled: 'sometimes' } }),
    /dashboard.enabled: sometimes is not a boolean/,
  );
  await assert.rejects(argsOf({ dashboard: { dir: 'srv' } }), /dashboard.dir: "srv" is not an absolute path/);
  const objs = await render(chart, {
    release: 'apiserver',
    namespace: ns,
    values: { dashboard: { enabled: false } },
  });
  await dryRunAll(objs, ns);
});
