import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StringInterner } from './intern.ts';

test('intern keeps one entry per distinct string and answers the value it was given', () => {
  const t = new StringInterner();
  const a = ['IfNotPresent', 'rayproject/ray:2.46.0'].map((s) => s.split('').join(''));
  assert.equal(t.intern(a[0]!), 'IfNotPresent');
  assert.equal(t.intern('IfNotPresent'.slice(0)), 'IfNotPresent');
  assert.equal(t.intern(a[1]!), 'rayproject/ray:2.46.0');
  assert.equal(t.size, 2);
});

test('intern leaves long strings out of the table and empties a full table', () => {
  const t = new StringInterner({ max: 3, maxLength: 5 });
  assert.equal(t.intern('longer than five'), 'longer than five');
  assert.equal(t.size, 0);
  for (const s of ['a', 'b', 'c']) t.intern(s);
  assert.equal(t.size, 3);
  t.intern('b');
  assert.equal(t.size, 3, 'a string already there does not count again');
  t.intern('d');
  assert.equal(t.size, 1, 'the fourth distinct string starts a new table');
});

test('internValues walks objects and arrays in place, skipping the named properties, and changes no value', () => {
  const t = new StringInterner();
  const pod = {
    metadata: { name: 'p-1', uid: 'u-1', labels: { 'ray.io/cluster': 'rc', 'ray.io/group': 'g' } },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-12-06T06:47:29Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-12-06T06:47:29Z' },
      ],
      podIPs: [{ ip: '10.0.0.1' }],
      restartCount: 3,
      ready: true,
      nothing: null,
    },
    list: ['x', 'x', { y: 'x' }],
  };
  const before = structuredClone(pod);
  t.internValues(pod, new Set(['name', 'uid', 'ip']));
  assert.deepEqual(pod, before);
  // rc, g, Running, Ready, True, the timestamp, PodScheduled, x: the skipped values (p-1, u-1, 10.0.0.1) are not kept.
  assert.equal(t.size, 8);
});
