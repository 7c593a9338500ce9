import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CapacityError, nodeResources } from './capacity.ts';

const machine = { cpus: 2, memoryBytes: 8 * 2 ** 30 };

test('by default the machine: its CPU count and memory; allocatable keeps the 100Mi eviction reserve', () => {
  const r = nodeResources({}, machine);
  assert.deepEqual(r.capacity, { cpu: '2', memory: '8388608Ki', pods: '110', 'ephemeral-storage': '100Gi' });
  assert.deepEqual(r.allocatable, {
    cpu: '2',
    memory: `${8388608 - 102400}Ki`,
    pods: '110',
    'ephemeral-storage': '100Gi',
  });
});

test('flags replace the machine values; bad ones are refused naming the flag', () => {
  const r = nodeResources({ cpu: '32', memory: '64Gi', pods: '50' }, machine);
  assert.equal(r.capacity.cpu, '32');
  assert.equal(r.capacity.memory, '64Gi');
  assert.equal(r.allocatable.memory, `${64 * 1024 * 1024 - 102400}Ki`);
  assert.equal(r.allocatable.pods, '50');
  assert.throws(() => nodeResources({ cpu: 'lots' }, machine), CapacityError);
  assert.throws(() => nodeResources({ memory: '-1Gi' }, machine), /--memory "-1Gi": expected a positive/);
  assert.throws(() => nodeResources({ pods: '1.5' }, machine), /--pods "1.5": expected a positive integer/);
});
