import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tapFailures } from './tap-failures.ts';

// node:test's TAP for a file with a failing subtest, a failing test with a two-line error, and a passing one.
const tap = `TAP version 13
# Subtest: outer
    # Subtest: inner fails
    not ok 1 - inner fails
      ---
      duration_ms: 21.289019
      type: 'test'
      location: '/repo/a.test.ts:3:38'
      failureType: 'testCodeFailure'
      error: |-
        one is not two
        
        1 !== 2
        
      code: 'ERR_ASSERTION'
      name: 'AssertionError'
      expected: 2
      actual: 1
      operator: 'strictEqual'
      stack: |-
        TestContext.<anonymous> (file:///repo/a.test.ts:3:71)
        TestContext.<anonymous> (file:///repo/a.test.ts:3:38)
      ...
    1..1
not ok 1 - outer
  ---
  duration_ms: 25.654461
  type: 'test'
  location: '/repo/a.test.ts:3:1'
  failureType: 'subtestsFailed'
  error: '1 subtest failed'
  code: 'ERR_TEST_FAILURE'
  ...
# Subtest: plain fails
not ok 2 - plain fails
  ---
  duration_ms: 0.23673
  type: 'test'
  location: '/repo/a.test.ts:4:1'
  failureType: 'testCodeFailure'
  error: |-
    boom
    second line
  code: 'ERR_TEST_FAILURE'
  stack: |-
    TestContext.<anonymous> (file:///repo/a.test.ts:4:35)
  ...
# Subtest: passes
ok 3 - passes
  ---
  duration_ms: 0.154788
  type: 'test'
  ...
1..3
# tests 4
# suites 0
# pass 1
# fail 3
# cancelled 0
# skipped 0
# todo 0
# duration_ms 627.411876
`;

test('lists the failed leaves with their parents, location, error and test-code stack frames', () => {
  assert.deepEqual(tapFailures(tap), [
    {
      name: 'outer > inner fails',
      location: '/repo/a.test.ts:3:38',
      details: [
        'one is not two',
        '',
        '1 !== 2',
        'at TestContext.<anonymous> (file:///repo/a.test.ts:3:71)',
        'at TestContext.<anonymous> (file:///repo/a.test.ts:3:38)',
      ],
    },
    {
      name: 'plain fails',
      location: '/repo/a.test.ts:4:1',
      details: ['boom', 'second line', 'at TestContext.<anonymous> (file:///repo/a.test.ts:4:35)'],
    },
  ]);
});

test('a one-line error and no failures', () => {
  const one = [
    '# Subtest: x',
    'not ok 1 - x',
    '  ---',
    "  failureType: 'testCodeFailure'",
    "  error: 'it''s broken'",
    '  ...',
    '1..1',
  ].join('\n');
  assert.deepEqual(tapFailures(one), [{ name: 'x', details: ["it's broken"] }]);
  assert.deepEqual(tapFailures('TAP version 13\n# Subtest: y\nok 1 - y\n1..1\n'), []);
});
