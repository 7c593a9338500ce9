import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScaleExpectations } from './expectations.ts';

test('a create is satisfied once the pod is visible, or after 30 s', () => {
  const e = new ScaleExpectations();
  const cache = new Set<string>();
  const present = (_ns: string, name: string) => cache.has(name);
  e.expect('ns', 'c', 'g', 'p1', 'create', 0);
  assert.equal(e.isSatisfied('ns', 'c', 'g', present, 1000), false);
  cache.add('p1');
  assert.equal(e.isSatisfied('ns', 'c', 'g', present, 1000), true);
  e.expect('ns', 'c', 'g', 'p2', 'create', 0);
  assert.equal(e.isSatisfied('ns', 'c', 'g', present, 29_999), false);
  assert.equal(e.isSatisfied('ns', 'c', 'g', present, 30_000), true);
});

test('a delete waits for the pod to disappear, without a timeout', () => {
  const e = new ScaleExpectations();
  let gone = false;
  e.expect('ns', 'c', '', 'head', 'delete', 0);
  assert.equal(
    e.isSatisfied('ns', 'c', '', () => !gone, 10_000_000),
    false,
  );
  gone = true;
  assert.equal(
    e.isSatisfied('ns', 'c', '', () => !gone, 10_000_000),
    true,
  );
});

test('groups are independent and a cluster can be dropped', () => {
  const e = new ScaleExpectations();
  e.expect('ns', 'c', 'a', 'p', 'delete', 0);
  e.expect('ns', 'c', 'b', 'q', 'delete', 0);
  e.expect('ns', 'other', 'a', 'r', 'delete', 0);
  assert.equal(
    e.isSatisfied('ns', 'c', 'x', () => true, 0),
    true,
  );
  e.deleteCluster('ns', 'c');
  assert.equal(
    e.isSatisfied('ns', 'c', 'a', () => true, 0),
    true,
  );
  assert.equal(e.pendingGroups(), 1);
});
