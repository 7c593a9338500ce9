import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NodeNetwork } from './ippool.ts';
import { nodeObject } from './node-object.ts';

const net: NodeNetwork = {
  slot: 3,
  bridge: 'krts3',
  hostIP: '10.213.3.1',
  prefix: '10.213.3',
  cidr: '10.213.3.0/24',
  mac: '02:00:00:00:00:03',
};

test('nodeObject: schedulable by default, cordoned (spec.unschedulable) when asked', () => {
  const plain = nodeObject('n1', net, {} as never, { team: 'a' });
  assert.deepEqual(plain.spec, { podCIDR: '10.213.3.0/24', podCIDRs: ['10.213.3.0/24'] });
  assert.equal((plain.metadata.labels as Record<string, string>).team, 'a');
  assert.equal(plain.metadata.labels['kubernetes.io/hostname'], 'n1');
  const cordoned = nodeObject('n1', net, {} as never, {}, true);
  assert.deepEqual(cordoned.spec, {
    podCIDR: '10.213.3.0/24',
    podCIDRs: ['10.213.3.0/24'],
    unschedulable: true,
  });
});
