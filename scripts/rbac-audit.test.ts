import assert from 'node:assert/strict';
import { test } from 'node:test';
import { operatorUserAgent } from '../src/k8s/user-agent.ts';
import { type AuditEvent, allows, countOnce, expand, operatorOf, UsageTally } from '../test/support/rbac.ts';
import { droppedFromKubeRay, unusedFails, unusedReason } from './rbac-exceptions.ts';

let id = 0;
const ev = (o: Partial<AuditEvent> & { resource?: string; ns?: string; code?: number }): AuditEvent => ({
  auditID: `id-${++id}`,
  stage: 'ResponseComplete',
  verb: 'get',
  user: { username: 'kubernetes-admin' },
  userAgent: operatorUserAgent('test', 'basic.test.ts#1'),
  requestURI: '/x',
  ...(o.resource
    ? {
        objectRef: {
          resource: o.resource.split('/')[0]!,
          ...(o.resource.includes('/') ? { subresource: o.resource.split('/')[1] } : {}),
          ...(o.ns ? { namespace: o.ns } : {}),
        },
      }
    : {}),
  ...(o.code ? { responseStatus: { code: o.code } } : {}),
  ...o,
});

test('only operators count: a named instance, or an in-cluster ServiceAccount with the plain operator agent', () => {
  assert.equal(operatorOf(ev({})), 'basic.test.ts#1');
  assert.equal(operatorOf(ev({ userAgent: 'kuberay-ts-test' })), undefined);
  // The runtime's own tests use KubeClient's default agent without an instance: test code, not an operator.
  assert.equal(operatorOf(ev({ userAgent: 'kuberay-operator/dev' })), undefined);
  assert.equal(
    operatorOf(
      ev({ userAgent: 'kuberay-operator/1.0.0', user: { username: 'system:serviceaccount:ray-system:op' } }),
    ),
    'in-cluster system:serviceaccount:ray-system:op',
  );
  // KubeRay's own operator (compat tests), even as a ServiceAccount.
  assert.equal(
    operatorOf(
      ev({
        userAgent: 'kuberay-operator/v1.5.0 (linux/amd64) kubernetes/abc',
        user: { username: 'system:serviceaccount:ray-system:op' },
      }),
    ),
    undefined,
  );
});

test('a watch counts once, whether its ResponseComplete came or not', () => {
  const started = new Set<string>();
  const watch = { auditID: 'w', verb: 'watch' };
  assert.equal(countOnce(started, ev({ ...watch, stage: 'ResponseStarted' })), true);
  assert.equal(countOnce(started, ev({ ...watch, stage: 'ResponseComplete' })), false);
  assert.equal(started.size, 0, 'forgotten once complete');
  assert.equal(countOnce(started, ev({ auditID: 'g' })), true);
  assert.equal(countOnce(started, ev({ stage: 'RequestReceived' })), false);
  assert.equal(countOnce(started, ev({ ...watch, auditID: 'open', stage: 'ResponseStarted' })), true);
});

test('a cluster-scoped use needs a ClusterRoleBinding; a namespaced one a grant there', () => {
  const rbac = {
    cluster: expand([{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]),
    namespaced: new Map([
      ['ray-system', expand([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }])],
    ]),
  };
  assert.equal(allows(rbac, { verb: 'list', group: '', resource: 'pods' }), true);
  assert.equal(
    allows(rbac, { verb: 'get', group: '', resource: 'configmaps', namespace: 'ray-system' }),
    true,
  );
  assert.equal(allows(rbac, { verb: 'get', group: '', resource: 'configmaps', namespace: 'other' }), false);
  assert.equal(
    allows(rbac, { verb: 'get', group: '', resource: 'configmaps', namespace: 'other' }, true),
    true,
  );
  assert.equal(allows(rbac, { verb: 'get', group: '', resource: 'configmaps' }, true), false);
  assert.equal(allows(rbac, { verb: 'list', group: '', resource: 'pods/status', namespace: 'x' }), false);
  assert.equal(
    allows(
      { cluster: expand([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), namespaced: new Map() },
      { verb: 'patch', group: 'x.io', resource: 'y/status' },
    ),
    true,
  );
});

test('the tally finds an ungranted use, names its file, and keeps test code and 403s apart', () => {
  const tally = new UsageTally();
  tally.add(ev({ verb: 'create', resource: 'pods', ns: 'a' }));
  tally.add(
    ev({
      verb: 'patch',
      resource: 'pods/status',
      ns: 'a',
      userAgent: operatorUserAgent('1', 'rayjob.test.ts#2'),
    }),
  );
  tally.add(ev({ verb: 'delete', resource: 'nodes', userAgent: 'kuberay-ts-test' }));
  tally.add(
    ev({
      verb: 'get',
      resource: 'secrets',
      ns: 'a',
      code: 403,
      annotations: { 'authorization.k8s.io/decision': 'forbid' },
    }),
  );
  // Admission's 403 (a namespace being deleted), RBAC allowed it: not a refusal of RBAC.
  tally.add(
    ev({
      verb: 'create',
      resource: 'pods',
      ns: 'b',
      code: 403,
      annotations: { 'authorization.k8s.io/decision': 'allow' },
    }),
  );
  tally.add(ev({})); // a non-resource URL: a request, no use
  tally.endLog();
  assert.equal(tally.requests, 5);
  assert.deepEqual(Object.fromEntries(tally.byFile), { 'basic.test.ts': 4, 'rayjob.test.ts': 1 });
  assert.deepEqual([...tally.usedKeys()].sort(), ['create /pods', 'get /secrets', 'patch /pods/status']);
  assert.deepEqual(tally.forbidden, ['basic.test.ts#1: get /x']);
  const rbac = {
    cluster: expand([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['create', 'get'] }]),
    namespaced: new Map<string, Set<string>>(),
  };
  assert.deepEqual(tally.ungranted(rbac), ['patch /pods/status namespaced x1 (e.g. /x; by rayjob.test.ts)']);
});

test('each exception has its own reason; a grant the code sends, or one KubeRay has, is not explained', () => {
  // Escalation prevention: the autoscaler Role's rules, read from buildRole.
  assert.match(unusedReason('get /pods') ?? '', /escalation prevention/);
  assert.match(unusedReason('patch /pods/resize') ?? '', /escalation prevention/);
  assert.match(unusedReason('get ray.io/rayclusters') ?? '', /buildRole/);
  for (const kind of ['rayclusters', 'rayjobs', 'rayservices', 'raycronjobs'])
    assert.match(
      unusedReason(`update ray.io/${kind}/finalizers`) ?? '',
      /OwnerReferencesPermissionEnforcement/,
    );
  // A server-side apply that creates a PodGroup is authorized as a create.
  assert.match(unusedReason('create scheduling.volcano.sh/podgroups') ?? '', /server-side apply/);
  assert.match(unusedReason('create scheduling.x-k8s.io/podgroups') ?? '', /server-side apply/);
  assert.match(unusedReason('update scheduling.k8s.io/podgroups') ?? '', /Kubernetes 1\.36/);
  assert.match(unusedReason('get scheduling.k8s.io/workloads') ?? '', /Kubernetes 1\.36/);
  // No blanket reason for KubeRay v1.5.0's grants any more: unused ones are dropped from the chart.
  for (const k of [
    'get /configmaps',
    'update /pods',
    'watch /serviceaccounts',
    'create extensions/ingresses',
    'get ray.io/rayjobs/status',
    'watch scheduling.volcano.sh/podgroups',
    'get scheduling.x-k8s.io/podgroups',
    'list coordination.k8s.io/leases',
  ])
    assert.equal(unusedReason(k), undefined, k);
  // Sent by the code (the audit shows them): nothing to explain.
  assert.equal(unusedReason('create /secrets'), undefined);
  assert.equal(unusedReason('deletecollection /pods'), undefined);
  assert.equal(unusedReason('patch scheduling.x-k8s.io/podgroups'), undefined);
  assert.equal(unusedReason('watch scheduling.k8s.io/workloads'), undefined);
});

test("what the chart leaves out of KubeRay v1.5.0's grants", () => {
  const chart = new Set(['get /pods', 'create /pods', 'get /configmaps', 'get ray.io/raycronjobs']);
  const dropped = droppedFromKubeRay(chart);
  assert.ok(dropped.includes('watch /configmaps'));
  assert.ok(dropped.includes('create extensions/ingresses'));
  assert.ok(dropped.includes('watch scheduling.volcano.sh/podgroups'));
  for (const k of chart) assert.ok(!dropped.includes(k), k);
  assert.deepEqual(dropped, [...dropped].sort());
});

test('an unexplained unused grant fails the check only when every audited layer ran', () => {
  const all = 'integration,chaos,fuzz,compat,e2e';
  assert.equal(unusedFails(['patch /persistentvolumeclaims'], all), true);
  assert.equal(unusedFails(['patch /persistentvolumeclaims'], 'e2e,compat,fuzz,chaos,integration'), true);
  assert.equal(unusedFails([], all), false);
  // A grant used only by a layer that did not run is no failure.
  assert.equal(unusedFails(['patch /persistentvolumeclaims'], 'integration,chaos,fuzz,compat'), false);
  assert.equal(unusedFails(['patch /persistentvolumeclaims'], 'e2e'), false);
  assert.equal(unusedFails(['patch /persistentvolumeclaims'], ''), false);
});
