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
