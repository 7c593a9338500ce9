import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScaleExpectations } from './expectations.ts';

test('a create is satisfied once the pod is visible, or after the timeout (5 minutes by default)', () => {
  const e = new ScaleExpectations(30_000);
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

test('the default create timeout outlasts a lagging informer: 5 minutes, not 30 s', () => {
  const e = new ScaleExpectations();
  const absent = () => false;
  e.expect('ns', 'c', 'g', 'p1', 'create', 0);
  assert.equal(e.isSatisfied('ns', 'c', 'g', absent, 30_000), false);
  assert.equal(e.isSatisfied('ns', 'c', 'g', absent, 299_999), false);
  assert.equal(e.isSatisfied('ns', 'c', 'g', absent, 300_000), true);
});

test('a create whose pod the informer saw deleted is met at once', () => {
  const e = new ScaleExpectations();
  const absent = () => false;
  e.expect('ns', 'c', 'g', 'p1', 'create', 0);
  assert.equal(e.isSatisfied('ns', 'c', 'g', absent, 1000), false);
  e.podDeleted('ns', 'c', 'g', 'p1');
  assert.equal(e.isSatisfied('ns', 'c', 'g', absent, 1000), true);
  assert.equal(e.pendingGroups(), 0);
});

test('podDeleted leaves other groups and delete records alone', () => {
  const e = new ScaleExpectations();
  e.expect('ns', 'c', 'g', 'p2', 'create', 0);
  e.podDeleted('ns', 'c', 'other', 'p2');
  assert.equal(
    e.isSatisfied('ns', 'c', 'g', () => false, 1000),
    false,
  );
  e.expect('ns', 'c', 'h', 'p3', 'delete', 0);
  e.podDeleted('ns', 'c', 'h', 'p3');
  // The delete record is met by the cache no longer holding the pod, not by the informer's call.
  assert.equal(
    e.isSatisfied('ns', 'c', 'h', (_n, name) => name === 'p3', 1000),
    false,
  );
  assert.equal(
    e.isSatisfied('ns', 'c', 'h', () => false, 1000),
    true,
  );
});
