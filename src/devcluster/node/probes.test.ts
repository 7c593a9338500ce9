import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProbeState } from './probes.ts';

test('ProbeState flips only when a threshold of consecutive results is reached', () => {
  const s = new ProbeState({ successThreshold: 2, failureThreshold: 3 });
  assert.equal(s.record(true), false);
  assert.equal(s.result, undefined);
  assert.equal(s.record(true), true);
  assert.equal(s.result, true);
  assert.equal(s.record(false), false);
  assert.equal(s.record(false), false);
  assert.equal(s.record(true), false, 'a success resets the failure count');
  s.record(false);
  s.record(false);
  assert.equal(s.record(false), true);
  assert.equal(s.result, false);
});

test('ProbeState defaults: one success, three failures', () => {
  const s = new ProbeState({});
  assert.equal(s.record(true), true);
  s.record(false);
  s.record(false);
  assert.equal(s.result, true);
  s.record(false);
  assert.equal(s.result, false);
});
