import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goQuantityString } from './go-quantity.ts';

// Expected values printed by Go's json.Marshal of resource.Quantity (k8s.io/apimachinery v0.34.1).
test('quantities are written in the canonical form Go writes', () => {
  const cases: [string | number, string][] = [
    ['1.5', '1500m'],
    ['2000m', '2'],
    ['1024Mi', '1Gi'],
    ['0.5Gi', '512Mi'],
    ['1536', '1536'],
    ['3Ki', '3Ki'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['100n', '100n'],
    ['0.1n', '1n'],
    [1, '1'],
    ['0', '0'],
    ['0Gi', '0'],
    ['1000Ki', '1000Ki'],
    ['1.5Ki', '1536'],
    ['100M', '100M'],
    ['12e6', '12e6'],
    [' 4 ', '4'],
    ['-1.5', '-1500m'],
  ];
  for (const [input, want] of cases) assert.equal(goQuantityString(input), want, String(input));
});

test('a malformed quantity is an error naming the value', () => {
  assert.throws(() => goQuantityString('1x'), /quantity "1x": not a valid Kubernetes quantity/);
  assert.throws(() => goQuantityString(''), /not a valid/);
});
