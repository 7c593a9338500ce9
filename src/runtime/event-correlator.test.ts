import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregatePrefix, type Correlation, EventCorrelator } from './event-correlator.ts';

const facts = (message: string, objectKey = 'rc-a', reason = 'CreatedWorkerPod') => ({
  objectKey,
  type: 'Normal',
  reason,
  message,
});
const kinds = (cs: Correlation[]) => cs.map((c) => c.kind);

test('an exact repeat bumps the Event already written', () => {
  const c = new EventCorrelator();
  const first = c.correlate(facts('m'), 0);
  const again = c.correlate(facts('m'), 1000);
  assert.ok(first.kind === 'create' && again.kind === 'repeat');
  assert.equal(first.key, again.key);
});

test('from the 10th similar message on, events are combined into one Event', () => {
  const c = new EventCorrelator();
  const out = Array.from({ length: 12 }, (_, i) => c.correlate(facts(`pod p${i}`), i));
  assert.deepEqual(kinds(out.slice(0, 9)), Array(9).fill('create'));
  assert.deepEqual(kinds(out.slice(9)), ['create', 'repeat', 'repeat']);
  const last = out[11]!;
  assert.ok(last.kind !== 'drop' && last.message === `${aggregatePrefix}pod p11`);
  // Another reason or another object is not similar.
  assert.equal(c.correlate(facts('pod p12', 'rc-a', 'DeletedWorkerPod'), 20).kind, 'create');
  assert.equal(c.correlate(facts('pod p13', 'rc-b'), 21).kind, 'create');
});

test('similarity is counted within 10 minutes', () => {
  const c = new EventCorrelator();
  for (let i = 0; i < 9; i++) c.correlate(facts(`m${i}`), 0);
  const late = c.correlate(facts('m9'), 10 * 60_000 + 1);
  assert.ok(late.kind === 'create' && !late.message.startsWith(aggregatePrefix));
});

test('the spam filter lets 25 events of one object through, then one per 5 minutes', () => {
  const c = new EventCorrelator();
  const burst = Array.from({ length: 30 }, (_, i) => c.correlate(facts(`m${i}`), 0));
  assert.equal(burst.filter((x) => x.kind !== 'drop').length, 25);
  assert.equal(c.correlate(facts('x', 'rc-b'), 0).kind, 'create'); // another object has its own bucket
  assert.equal(c.correlate(facts('later'), 4 * 60_000).kind, 'drop');
  assert.notEqual(c.correlate(facts('later'), 5 * 60_000).kind, 'drop');
  assert.equal(c.correlate(facts('later2'), 5 * 60_000 + 1).kind, 'drop');
});

test('forget: the next event under a forgotten key is created anew', () => {
  const c = new EventCorrelator();
  const first = c.correlate(facts('m'), 0);
  assert.ok(first.kind === 'create');
  c.forget(first.key);
  assert.equal(c.correlate(facts('m'), 1).kind, 'create');
});
