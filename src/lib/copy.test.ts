import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyJson } from './copy.ts';

test('copyJson: a deep copy equal to the original, sharing no object with it', () => {
  const original = {
    metadata: { name: 'a', labels: { x: '1' } },
    spec: { replicas: 3, items: [{ n: 1 }, [2, 'two', null, true]], empty: {} },
    none: null,
    gone: undefined,
  };
  const copy = copyJson(original);
  assert.deepEqual(copy, original);
  assert.ok('gone' in copy, 'an undefined value keeps its key, as structuredClone does');
  assert.notEqual(copy.metadata, original.metadata);
  assert.notEqual(copy.metadata.labels, original.metadata.labels);
  assert.notEqual(copy.spec.items, original.spec.items);
  assert.notEqual(copy.spec.items[0], original.spec.items[0]);
  copy.metadata.labels.x = '2';
  (copy.spec.items[1] as unknown[]).push(3);
  assert.equal(original.metadata.labels.x, '1');
  assert.equal((original.spec.items[1] as unknown[]).length, 4);
});

test('copyJson: a frozen original gives a copy that can be edited', () => {
  const original = Object.freeze({
    status: Object.freeze({ conditions: Object.freeze([Object.freeze({ type: 'A' })]) }),
  });
  const copy = copyJson(original) as { status: { conditions: { type: string }[] } };
  copy.status.conditions[0]!.type = 'B';
  copy.status.conditions.push({ type: 'C' });
  assert.equal(original.status.conditions[0]?.type, 'A');
  assert.equal(Object.isFrozen(copy.status), false);
});

test('copyJson: primitives and null come back as they are', () => {
  for (const v of [0, 1.5, '', 's', true, false, null, undefined]) assert.equal(copyJson(v), v);
});

test('copyJson: an object without a prototype is copied as a plain one', () => {
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: { b: 1 } });
  assert.deepEqual(copyJson(bare), { a: { b: 1 } });
});

test('copyJson: refuses what is not JSON data instead of copying it wrongly', () => {
  assert.throws(() => copyJson({ when: new Date(0) }), /not JSON data \(a Date\)/);
  assert.throws(() => copyJson({ m: new Map() }), /not JSON data \(a Map\)/);
  assert.throws(() => copyJson({ f: () => 1 }), /cannot copy a function/);
});
