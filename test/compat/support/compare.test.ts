import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ABSENT, compareDumps } from './compare.ts';
import { judge, matches } from './expected.ts';
import { normaliseDump, normaliseString } from './normalise.ts';

test('normaliseString hides the namespace, times, IPs, uids, KWOK nodes and random suffixes', () => {
  assert.equal(
    normaliseString(
      'Created pod kr-1-ab/rc-head-x2k4p at 2026-12-05 00:27:22 on kwok-node-1 (10.0.0.7)',
      'kr-1-ab',
    ),
    'Created pod <ns>/rc-head-<rand> at <time> on <node> (<ip>)',
  );
  assert.equal(normaliseString('small-group', 'ns'), 'small-group', 'a word with vowels is not a suffix');
  assert.equal(normaliseString('kr-1-abc', 'kr-1-ab'), 'kr-1-abc', 'a longer name is not the namespace');
});

test('normaliseDump numbers same-named objects in content order and folds events by reason', () => {
  const pod = (name: string, image: string) => ({
    kind: 'Pod',
    metadata: { name, uid: name },
    spec: { image },
  });
  const ev = (message: string) => ({
    kind: 'Event',
    metadata: { name: 'e' },
    involvedObject: { kind: 'RayCluster', name: 'rc' },
    reason: 'CreatedWorkerPod',
    type: 'Normal',
    source: { component: 'raycluster-controller' },
    message,
  });
  const n = normaliseDump(
    {
      objects: [pod('rc-w-bbbbb', 'b'), pod('rc-w-ccccc', 'a')],
      events: [
        ev('Created worker Pod ns/rc-w-bbbbb'),
        ev('Created worker Pod ns/rc-w-ccccc'),
        ev('x already exists'),
      ],
    },
    'ns',
  );
  assert.deepEqual(
    [...n.keys()],
    ['Pod/rc-w-<rand>#1', 'Pod/rc-w-<rand>#2', 'Event/RayCluster/rc/CreatedWorkerPod'],
  );
  assert.deepEqual(n.get('Pod/rc-w-<rand>#1'), {
    kind: 'Pod',
    metadata: { name: 'rc-w-<rand>' },
    spec: { image: 'a' },
  });
  assert.deepEqual(n.get('Event/RayCluster/rc/CreatedWorkerPod'), {
    type: 'Normal',
    source: 'raycluster-controller',
    messages: ['Created worker Pod <ns>/rc-w-<rand>'],
  });
});

test('compareDumps reports fields by path, named lists by name, and objects one side lacks', () => {
  const ours = new Map<string, unknown>([
    ['Pod/p', { spec: { containers: [{ name: 'b', env: [{ name: 'X', value: '1' }] }, { name: 'a' }] } }],
    ['Service/s', {}],
  ]);
  const kuberay = new Map<string, unknown>([
    ['Pod/p', { spec: { containers: [{ name: 'a' }, { name: 'b', env: [{ name: 'X', value: '2' }] }] } }],
  ]);
  assert.deepEqual(compareDumps('x.yaml', ours, kuberay), [
    {
      sample: 'x.yaml',
      object: 'Pod/p',
      field: 'spec.containers[name=b].env[name=X].value',
      ours: '1',
      kuberay: '2',
    },
    { sample: 'x.yaml', object: 'Service/s', field: '', ours: 'present', kuberay: ABSENT },
  ]);
});

test('judge finds unexplained differences and entries that no longer occur', () => {
  const d = { sample: 'a.yaml', object: 'Pod/p', field: 'metadata.labels["k"]', ours: 'v', kuberay: ABSENT };
  const hit = { sample: '*', object: 'Pod/*', field: 'metadata.labels*', ours: 'v', why: 'because' };
  const wrongValue = { ...hit, ours: 'w' };
  const otherSample = { ...hit, sample: 'b.yaml' };
  assert.ok(matches(hit, d));
  assert.ok(!matches(wrongValue, d));
  const v = judge([wrongValue, hit, otherSample], [d], ['a.yaml']);
  assert.deepEqual(v.unexpected, []);
  assert.deepEqual(v.stale, [wrongValue], 'an entry for a sample not run is not stale');
  assert.deepEqual(judge([], [d], ['a.yaml']).unexpected, [d]);
  assert.deepEqual(judge([{ ...wrongValue, intermittent: true }], [], ['a.yaml']).stale, [], 'intermittent');
});
