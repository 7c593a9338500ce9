import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  conditionsEqual,
  findCondition,
  isConditionTrue,
  removeCondition,
  type StatusCondition,
  setCondition,
} from './conditions.ts';

const ready = (status: string, reason: string): Omit<StatusCondition, 'lastTransitionTime'> => ({
  type: 'Ready',
  status,
  reason,
  message: reason.toLowerCase(),
});

test('setCondition keeps lastTransitionTime unless the status changes', () => {
  let c = setCondition<StatusCondition>(undefined, ready('False', 'A'), 't1');
  c = setCondition(c, ready('False', 'B'), 't2');
  assert.deepEqual(c, [
    { type: 'Ready', status: 'False', reason: 'B', message: 'b', lastTransitionTime: 't1' },
  ]);
  c = setCondition(c, ready('True', 'C'), 't3');
  assert.equal(c[0]!.lastTransitionTime, 't3');
  assert.equal(isConditionTrue(c, 'Ready'), true);
});

test('setCondition replaces in place, appends new types and never changes its input', () => {
  const before = setCondition<StatusCondition>(undefined, ready('True', 'A'), 't1');
  const frozen = structuredClone(before);
  const after = setCondition(before, { type: 'Other', status: 'False', reason: 'X', message: '' }, 't2');
  assert.deepEqual(before, frozen);
  assert.deepEqual(
    after.map((c) => c.type),
    ['Ready', 'Other'],
  );
});

test('observedGeneration comes from the update, as meta.SetStatusCondition', () => {
  let c = setCondition<StatusCondition>(undefined, { ...ready('True', 'A'), observedGeneration: 2 }, 't1');
  c = setCondition(c, { ...ready('True', 'A'), observedGeneration: 3 }, 't2');
  assert.equal(c[0]!.observedGeneration, 3);
  assert.equal(c[0]!.lastTransitionTime, 't1');
});

test('an old condition without lastTransitionTime gets one', () => {
  const c = setCondition([{ ...ready('True', 'A') }], ready('True', 'A'), 't9');
  assert.equal(c[0]!.lastTransitionTime, 't9');
});

test('find, remove and compare', () => {
  const c = setCondition<StatusCondition>(undefined, ready('True', 'A'), 't1');
  assert.equal(findCondition(c, 'Ready')?.reason, 'A');
  assert.equal(findCondition(c, 'Nope'), undefined);
  assert.deepEqual(removeCondition(c, 'Ready'), []);
  assert.equal(conditionsEqual(c, structuredClone(c)), true);
  assert.equal(conditionsEqual(c, setCondition(c, ready('True', 'B'), 't2')), false);
  assert.equal(conditionsEqual(undefined, []), true);
});
