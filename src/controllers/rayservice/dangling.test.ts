import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DanglingClusters, deletionDelayMs } from './dangling.ts';

test('the deletion delay defaults to 60 s and honours 0 and 5', () => {
  assert.equal(deletionDelayMs(undefined), 60_000);
  assert.equal(deletionDelayMs(0), 0);
  assert.equal(deletionDelayMs(5), 5000);
});

test('a dangling cluster is deleted only after the delay from its first sighting', () => {
  const d = new DanglingClusters();
  let r = d.due('ns/rs', ['rs-a', 'rs-b'], ['rs-b'], false, 60_000, 1000);
  assert.deepEqual(r, { dangling: ['rs-a'], deleteNow: [] });
  assert.equal(d.nextDeadlineIn('ns/rs', 1000), 60_000);
  r = d.due('ns/rs', ['rs-a', 'rs-b'], ['rs-b'], false, 60_000, 60_999);
  assert.deepEqual(r.deleteNow, []);
  r = d.due('ns/rs', ['rs-a', 'rs-b'], ['rs-b'], false, 60_000, 61_000);
  assert.deepEqual(r.deleteNow, ['rs-a']);
  r = d.due('ns/rs', ['rs-b'], ['rs-b'], false, 60_000, 62_000);
  assert.deepEqual(r, { dangling: [], deleteNow: [] });
  assert.equal(
    d.nextDeadlineIn('ns/rs', 62_000),
    undefined,
    'the deadline is forgotten once the cluster is gone',
  );
});

test('when the RayService is being deleted every cluster is deleted at once', () => {
  const d = new DanglingClusters();
  d.due('ns/rs', ['rs-a'], [], false, 60_000, 0);
  const r = d.due('ns/rs', ['rs-a', 'rs-b'], ['rs-b'], true, 60_000, 10);
  assert.deepEqual(r, { dangling: ['rs-a', 'rs-b'], deleteNow: ['rs-a', 'rs-b'] });
});
