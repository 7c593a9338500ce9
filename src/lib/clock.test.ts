import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './clock.ts';

test('FakeClock fires timers in time order as it advances', () => {
  const clock = new FakeClock(1000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b'), 200);
  clock.setTimeout(() => fired.push('a'), 100);
  const cancel = clock.setTimeout(() => fired.push('never'), 150);
  cancel();
  clock.advance(99);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.deepEqual(fired, ['a']);
  assert.equal(clock.now(), 1100);
  clock.advance(500);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(clock.now(), 1600);
  assert.equal(clock.pending(), 0);
});

test('FakeClock runs timers scheduled by timers within the same advance', () => {
  const clock = new FakeClock();
  const at: number[] = [];
  clock.setTimeout(() => {
    at.push(clock.now());
    clock.setTimeout(() => at.push(clock.now()), 10);
  }, 10);
  clock.advance(25);
  assert.deepEqual(at, [10, 20]);
});
