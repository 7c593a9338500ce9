import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, RayCluster } from '../../api/index.ts';
import { buildMtlsObjects, containsDesired, livePodIPs, mtlsNotReadyReason } from './build.ts';

const rc = {
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name: 'rc', namespace: 'ns', uid: '0123456789abcdef' },
  spec: {
    tlsOptions: { enabled: true },
    headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [] } } },
  },
} as unknown as RayCluster;

function pod(
  name: string,
  nodeType: string,
  ip: string | undefined,
  extra: Partial<Pod['metadata']> = {},
  phase = 'Running',
): Pod {
  return {
    metadata: { name, labels: { 'ray.io/node-type': nodeType }, ...extra },
    spec: { containers: [] },
    status: { phase, ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}) },
  } as Pod;
}

test('the five objects: names, issuers, durations, CA secret name, labels and owner', () => {
  const objs = buildMtlsObjects(rc, [], 'cluster.local');
  assert.deepEqual(
    objs.map((o) => `${o.kind}/${o.metadata.name}`),
    [
      'Issuer/ray-selfsigned-issuer-rc',
      'Certificate/ray-ca-certificate-rc',
      'Issuer/ray-ca-issuer-rc',
      'Certificate/ray-head-cert-rc',
      'Certificate/ray-worker-cert-rc',
    ],
  );
  const [self, ca, caIssuer, head, worker] = objs;
  assert.deepEqual(self?.spec, { selfSigned: {} });
  assert.equal(ca?.spec.isCA, true);
  assert.equal(ca?.spec.secretName, 'rc-ca-secret-01234567');
  assert.equal(ca?.spec.duration, '87600h');
  assert.equal(ca?.spec.renewBefore, '720h');
  assert.deepEqual(ca?.spec.issuerRef, {
    name: 'ray-selfsigned-issuer-rc',
    kind: 'Issuer',
    group: 'cert-manager.io',
  });
  assert.deepEqual(caIssuer?.spec, { ca: { secretName: 'rc-ca-secret-01234567' } });
  assert.equal(head?.spec.secretName, 'ray-head-secret-rc');
  assert.equal(head?.spec.duration, '2160h');
  assert.equal(head?.spec.renewBefore, '360h');
  assert.deepEqual(head?.spec.dnsNames, ['localhost', 'rc-head-svc.ns.svc.cluster.local']);
  assert.deepEqual(head?.spec.ipAddresses, ['127.0.0.1']);
  assert.deepEqual(head?.spec.issuerRef, {
    name: 'ray-ca-issuer-rc',
    kind: 'Issuer',
    group: 'cert-manager.io',
  });
  assert.equal(worker?.spec.secretName, 'ray-worker-secret-rc');
  assert.deepEqual(worker?.spec.dnsNames, ['localhost']);
  for (const o of objs) {
    assert.deepEqual(o.metadata.labels, {
      'ray.io/cluster': 'rc',
      'app.kubernetes.io/name': 'kuberay',
      'app.kubernetes.io/created-by': 'kuberay-operator',
      'app.kubernetes.io/component': 'kuberay-mtls',
    });
    assert.equal(o.metadata.ownerReferences[0]?.uid, '0123456789abcdef');
    assert.equal(o.metadata.ownerReferences[0]?.controller, true);
  }
});

test('leaf IP SANs: live pods of the node type, sorted and unique, then 127.0.0.1', () => {
  const pods = [
    pod('h', 'head', '10.0.0.9'),
    pod('w2', 'worker', '10.0.0.3'),
    pod('w1', 'worker', '10.0.0.2'),
    pod('w3', 'worker', undefined),
    pod('gone', 'worker', '10.0.0.7', { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    pod('done', 'worker', '10.0.0.8', {}, 'Failed'),
  ];
  assert.deepEqual(livePodIPs(pods, 'worker'), ['10.0.0.2', '10.0.0.3']);
  const [, , , head, worker] = buildMtlsObjects(rc, pods, 'example.org');
  assert.deepEqual(head?.spec.ipAddresses, ['10.0.0.9', '127.0.0.1']);
  assert.deepEqual(head?.spec.dnsNames, ['localhost', 'rc-head-svc.ns.svc.example.org']);
  assert.deepEqual(worker?.spec.ipAddresses, ['10.0.0.2', '10.0.0.3', '127.0.0.1']);
});

test('containsDesired ignores fields cert-manager adds and notices changed SANs', () => {
  const desired = { ipAddresses: ['1.1.1.1', '127.0.0.1'], issuerRef: { name: 'x' } };
  assert.ok(containsDesired({ ...desired, issuerRef: { name: 'x', kind: 'Issuer' }, extra: 1 }, desired));
  assert.equal(containsDesired({ ...desired, ipAddresses: ['127.0.0.1'] }, desired), false);
});

test('mtlsNotReadyReason: both leaf certificates Ready at their generation and both secrets complete', () => {
  const ready = (generation: number, observed = generation) => ({
    metadata: { generation },
    status: { conditions: [{ type: 'Ready', status: 'True', observedGeneration: observed }] },
  });
  const full = { data: { 'tls.crt': 'YQ==', 'tls.key': 'YQ==', 'ca.crt': 'YQ==' }, metadata: {} };
  const secrets = { head: full, worker: full };
  assert.equal(mtlsNotReadyReason('rc', { head: ready(1), worker: ready(2) }, secrets), undefined);
  assert.match(
    mtlsNotReadyReason('rc', { worker: ready(1) }, secrets) ?? '',
    /ray-head-cert-rc does not exist/,
  );
  assert.match(
    mtlsNotReadyReason('rc', { head: ready(1), worker: ready(3, 2) }, secrets) ?? '',
    /ray-worker-cert-rc is not Ready at generation 3/,
  );
  const notReady = {
    metadata: { generation: 1 },
    status: { conditions: [{ type: 'Ready', status: 'False', observedGeneration: 1 }] },
  };
  assert.match(
    mtlsNotReadyReason('rc', { head: notReady, worker: ready(1) }, secrets) ?? '',
    /is not Ready$/,
  );
  assert.match(
    mtlsNotReadyReason('rc', { head: ready(1), worker: ready(1) }, { head: full }) ?? '',
    /Secret ray-worker-secret-rc does not exist/,
  );
  assert.match(
    mtlsNotReadyReason(
      'rc',
      { head: ready(1), worker: ready(1) },
      { head: { metadata: {}, data: { 'tls.crt': 'YQ==' } }, worker: full },
    ) ?? '',
    /ray-head-secret-rc lacks tls.key, ca.crt/,
  );
});
