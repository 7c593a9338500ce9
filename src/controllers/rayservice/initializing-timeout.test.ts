import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInitializingTimeout } from './initializing-timeout.ts';

test('initializing-timeout accepts positive Go durations and integer seconds', () => {
  assert.equal(parseInitializingTimeout('30m'), 1_800_000);
  assert.equal(parseInitializingTimeout('1h30m'), 5_400_000);
  assert.equal(parseInitializingTimeout('1.5s'), 1500);
  assert.equal(parseInitializingTimeout('120'), 120_000);
  for (const bad of ['0', '-5', '0s', 'abc', '', '10x', '5m-', '-1m'])
    assert.match(
      String(parseInitializingTimeout(bad)),
      /ray\.io\/initializing-timeout must be a positive duration/,
      bad,
    );
});
