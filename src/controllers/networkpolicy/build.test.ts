import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../api/raycluster.ts';
import { buildNetworkPolicies, dashboardPort } from './build.ts';
import { normalizeSpec, planNetworkPolicies } from './plan.ts';

const dns = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};
const https = { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] };
const prometheus = {
  from: [{ namespaceSelector: { matchLabels: { team: 'prom' } } }],
  ports: [{ port: 8080 }],
};

function cluster(networkPolicy: unknown, labels: Record<string, string> = {}): RayCluster {
  const tpl = { spec: { containers: [{ name: 'ray', image: 'rayproject/ray:2.52.0' }] } };
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'rc', namespace: 'ns', uid: 'uid-1', labels },
    spec: {
      networkPolicy,
      headGroupSpec: { rayStartParams: {}, template: tpl },
      workerGroupSpecs: [
        { groupName: 'cpu', minReplicas: 0, maxReplicas: 2, rayStartParams: {}, template: tpl },
        { groupName: 'gpu', minReplicas: 0, maxReplicas: 2, rayStartParams: {}, template: tpl },
      ],
    },
  } as unknown as RayCluster;
}

const intra = { podSelector: { matchLabels: { 'ray.io/cluster': 'rc' } } };

test('no networkPolicy: no policies', () => {
  assert.deepEqual(buildNetworkPolicies(cluster(undefined)), []);
});

test('DenyAll: a head policy and one per worker group, both directions, intra-cluster first, then user rules', () => {
  const [head, cpu, gpu, ...rest] = buildNetworkPolicies(
    cluster({
      mode: 'DenyAll',
      head: { ingressRules: [prometheus], egressRules: [dns] },
      worker: { egressRules: [dns] },
    }),
  );
  assert.equal(rest.length, 0);
  assert.equal(head?.metadata.name, 'rc-head');
  assert.equal(cpu?.metadata.name, 'rc-workers-cpu');
  assert.equal(gpu?.metadata.name, 'rc-workers-gpu');
  assert.deepEqual(head?.metadata.labels, {
    'ray.io/cluster': 'rc',
    'app.kubernetes.io/name': 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  });
  assert.deepEqual(head?.metadata.ownerReferences, [
    {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      name: 'rc',
      uid: 'uid-1',
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  assert.deepEqual(head?.spec.podSelector, {
    matchLabels: { 'ray.io/cluster': 'rc', 'ray.io/node-type': 'head' },
  });
  assert.deepEqual(head?.spec.policyTypes, ['Ingress', 'Egress']);
  assert.deepEqual(head?.spec.ingress?.[0], { from: [intra] });
  assert.deepEqual(head?.spec.ingress?.at(-1), prometheus);
  assert.deepEqual(head?.spec.egress, [{ to: [intra] }, dns]);
  assert.deepEqual(cpu?.spec.podSelector, {
    matchLabels: { 'ray.io/cluster': 'rc', 'ray.io/node-type': 'worker', 'ray.io/group': 'cpu' },
  });
  assert.deepEqual(cpu?.spec.ingress, [{ from: [intra] }]);
  assert.deepEqual(cpu?.spec.egress, [{ to: [intra] }, dns]);
  // DNS is never added by the operator: a policy without user egress rules allows only intra-cluster egress.
  const [bare] = buildNetworkPolicies(cluster({ mode: 'DenyAll' }));
  assert.deepEqual(bare?.spec.egress, [{ to: [intra] }]);
});

test('the mode picks the policy types and drops the other direction', () => {
  const [inOnly] = buildNetworkPolicies(cluster({ mode: 'DenyAllIngress' }));
  assert.deepEqual(inOnly?.spec.policyTypes, ['Ingress']);
  assert.equal(inOnly?.spec.egress, undefined);
  const [outOnly] = buildNetworkPolicies(cluster({ mode: 'DenyAllEgress', head: { egressRules: [https] } }));
  assert.deepEqual(outOnly?.spec.policyTypes, ['Egress']);
  assert.equal(outOnly?.spec.ingress, undefined);
  assert.deepEqual(outOnly?.spec.egress, [{ to: [intra] }, https]);
  const [dflt] = buildNetworkPolicies(cluster({}));
  assert.deepEqual(dflt?.spec.policyTypes, ['Ingress', 'Egress']);
});

test('the head admits the operator on the dashboard port, and the submitter of the RayJob that made the cluster', () => {
  const [head] = buildNetworkPolicies(cluster({ mode: 'DenyAll' }));
  assert.equal(head?.spec.ingress?.length, 2);
  assert.deepEqual(head?.spec.ingress?.[1]?.ports, [{ protocol: 'TCP', port: dashboardPort }]);
  const [jobHead] = buildNetworkPolicies(
    cluster(
      { mode: 'DenyAll' },
      { 'ray.io/originated-from-crd': 'RayJob', 'ray.io/originated-from-cr-name': 'job1' },
    ),
  );
  assert.deepEqual(jobHead?.spec.ingress?.[2], {
    from: [
      {
        podSelector: {
          matchLabels: { 'ray.io/originated-from-crd': 'RayJob', 'ray.io/originated-from-cr-name': 'job1' },
        },
      },
    ],
    ports: [{ protocol: 'TCP', port: dashboardPort }],
  });
  const [svcHead] = buildNetworkPolicies(
    cluster(
      { mode: 'DenyAll' },
      { 'ray.io/originated-from-crd': 'RayService', 'ray.io/originated-from-cr-name': 's' },
    ),
  );
  assert.equal(svcHead?.spec.ingress?.length, 2);
});

test('a workerGroups entry replaces the worker rules for its group only', () => {
  const [, cpu, gpu] = buildNetworkPolicies(
    cluster({
      mode: 'DenyAll',
      worker: { egressRules: [dns] },
      workerGroups: [{ groupName: 'gpu', egressRules: [https] }],
    }),
  );
  assert.deepEqual(cpu?.spec.egress, [{ to: [intra] }, dns]);
  assert.deepEqual(gpu?.spec.egress, [{ to: [intra] }, https]);
});

test('plan: create missing, update changed, delete owned leftovers, leave foreign ones', () => {
  const desired = buildNetworkPolicies(cluster({ mode: 'DenyAll', worker: { egressRules: [https] } }));
  const [head, cpu] = desired;
  const stored = (p: (typeof desired)[number]) => ({
    ...structuredClone(p),
    metadata: { ...structuredClone(p.metadata), resourceVersion: '5' },
    // what the API server stores: protocol defaulted
    spec: JSON.parse(JSON.stringify(p.spec).replaceAll('{"port":443}', '{"port":443,"protocol":"TCP"}')),
  });
  const owner = [{ apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'rc', uid: 'uid-1', controller: true }];
  const observed = [
    stored(head!),
    { ...stored(cpu!), spec: { ...stored(cpu!).spec, egress: [] } },
    { metadata: { name: 'rc-workers-old', ownerReferences: owner }, spec: {} },
    { metadata: { name: 'rc-workers-foreign', ownerReferences: [{ ...owner[0]!, uid: 'other' }] }, spec: {} },
  ];
  const actions = planNetworkPolicies('uid-1', desired, observed);
  assert.deepEqual(
    actions.map((a) => `${a.type}:${'desired' in a ? a.desired.metadata.name : a.name}`),
    ['update:rc-workers-cpu', 'create:rc-workers-gpu', 'delete:rc-workers-old'],
  );
  assert.deepEqual(
    planNetworkPolicies('uid-1', [], [observed[0]!]).map((a) => a.type),
    ['delete'],
  );
});

test('plan: a same-named policy controlled by someone else is reported, not taken over', () => {
  const [head] = buildNetworkPolicies(cluster({}));
  const foreign = {
    metadata: {
      name: 'rc-head',
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u2', controller: true }],
    },
    spec: {},
  };
  assert.deepEqual(planNetworkPolicies('uid-1', [head!], [foreign]), [
    { type: 'conflict', name: 'rc-head', owner: 'X/x' },
  ]);
});

test('normalizeSpec drops empty lists and defaults a port protocol, keeping empty selectors', () => {
  assert.deepEqual(
    normalizeSpec({ podSelector: {}, ingress: [{ from: [], ports: [{ port: 1 }] }], egress: [] }),
    {
      ingress: [{ ports: [{ protocol: 'TCP', port: 1 }] }],
      podSelector: {},
    },
  );
});
