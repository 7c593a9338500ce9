import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHosts, serviceRecords } from './hosts.ts';

const slices = [
  {
    metadata: { name: 'head-abc', namespace: 'ray', labels: { 'kubernetes.io/service-name': 'c-head-svc' } },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.213.0.5'], conditions: { ready: true }, hostname: 'h0' },
      { addresses: ['10.213.0.9'], conditions: { ready: false } },
    ],
  },
  {
    metadata: { name: 'other-x', namespace: 'other', labels: { 'kubernetes.io/service-name': 'db' } },
    endpoints: [{ addresses: ['10.213.0.7'] }],
  },
  {
    metadata: { name: 'k', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    endpoints: [{ addresses: ['127.0.0.1'] }],
  },
  { metadata: { name: 'no-label', namespace: 'ray' }, endpoints: [{ addresses: ['10.213.0.8'] }] },
];

test('serviceRecords keeps ready endpoints, grouped by service', () => {
  const recs = serviceRecords(slices);
  assert.deepEqual(
    recs.map((r) => [r.namespace, r.service, r.addresses]),
    [
      ['default', 'kubernetes', ['127.0.0.1']],
      ['other', 'db', ['10.213.0.7']],
      ['ray', 'c-head-svc', ['10.213.0.5']],
    ],
  );
});

test('renderHosts names the pod, the API server and each Service (short names in the own namespace only)', () => {
  const text = renderHosts(
    { namespace: 'ray', hostname: 'p1', podIP: '10.213.0.3', apiServerIP: '10.213.0.1' },
    serviceRecords(slices),
  );
  const lines = text.trim().split('\n');
  assert.ok(lines.includes('10.213.0.3\tp1'));
  assert.ok(
    lines.includes(
      '10.213.0.1\tkubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local',
    ),
  );
  assert.ok(
    lines.includes(
      '10.213.0.5\tc-head-svc.ray.svc.cluster.local c-head-svc.ray.svc c-head-svc.ray c-head-svc',
    ),
  );
  assert.ok(lines.includes('10.213.0.5\th0.c-head-svc.ray.svc.cluster.local'));
  assert.ok(lines.includes('10.213.0.7\tdb.other.svc.cluster.local db.other.svc db.other'));
  assert.ok(!text.includes('10.213.0.9'), 'a not-ready endpoint is left out');
  assert.ok(
    !text.includes('127.0.0.1\tkubernetes'),
    'the kubernetes Service points at the forwarder, not loopback',
  );
});

test('renderHosts gives hostname.subdomain names', () => {
  const text = renderHosts(
    { namespace: 'ns', hostname: 'w', subdomain: 'sub', podIP: '10.213.0.4', apiServerIP: '10.213.0.1' },
    [],
  );
  assert.ok(text.includes('10.213.0.4\tw.sub.ns.svc.cluster.local w\n'));
});
