import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from '../../api/index.ts';
import { switchedService } from './services-step.ts';

test('switching a Service keeps its clusterIP(s), node ports and server-set fields', () => {
  const existing: Service = {
    metadata: { name: 's', resourceVersion: '7' },
    spec: {
      type: 'NodePort',
      clusterIP: '10.0.0.5',
      clusterIPs: ['10.0.0.5'],
      ipFamilies: ['IPv4'],
      selector: { 'ray.io/cluster': 'old', 'ray.io/serve': 'true' },
      ports: [{ name: 'serve', port: 8000, nodePort: 30123 }],
    },
  };
  const desired: Service = {
    metadata: { name: 's' },
    spec: {
      type: 'NodePort',
      selector: { 'ray.io/cluster': 'new', 'ray.io/serve': 'true' },
      ports: [{ name: 'serve', port: 8000 }],
    },
  };
  const out = switchedService(existing, desired);
  assert.equal(out.metadata.resourceVersion, '7');
  assert.equal(out.spec!.clusterIP, '10.0.0.5');
  assert.deepEqual(out.spec!.clusterIPs, ['10.0.0.5']);
  assert.deepEqual(out.spec!.ipFamilies, ['IPv4']);
  assert.equal(out.spec!.selector!['ray.io/cluster'], 'new');
  assert.deepEqual(out.spec!.ports, [{ name: 'serve', port: 8000, nodePort: 30123 }]);
});

test("switching replaces the spec: a field no longer in the desired Service goes (a custom serveService's sessionAffinity)", () => {
  const existing: Service = {
    metadata: { name: 's' },
    spec: {
      clusterIP: '10.0.0.6',
      sessionAffinity: 'ClientIP',
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      selector: { 'ray.io/cluster': 'old' },
      ports: [{ name: 'serve', port: 8000 }],
    },
  };
  const desired: Service = {
    metadata: { name: 's' },
    spec: { selector: { 'ray.io/cluster': 'new' }, ports: [{ name: 'serve', port: 8000 }] },
  };
  assert.deepEqual(switchedService(existing, desired).spec, {
    clusterIP: '10.0.0.6',
    selector: { 'ray.io/cluster': 'new' },
    ports: [{ name: 'serve', port: 8000 }],
  });
});

test('a headless head Service stays headless', () => {
  const existing: Service = {
    metadata: { name: 'h' },
    spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'ray.io/cluster': 'a' } },
  };
  const desired: Service = {
    metadata: { name: 'h' },
    spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'ray.io/cluster': 'b' } },
  };
  const out = switchedService(existing, desired);
  assert.equal(out.spec!.clusterIP, 'None');
  assert.equal(out.spec!.publishNotReadyAddresses, true);
});
