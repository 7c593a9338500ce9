import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addQuantities, formatQuantity, parseQuantity, quantityValue, scaleQuantity } from './quantity.ts';

test('parses and rounds CPU up like resource.Quantity.Value', () => {
  assert.equal(quantityValue(parseQuantity('500m')!), 1n);
  assert.equal(quantityValue(parseQuantity('2')!), 2n);
  assert.equal(quantityValue(parseQuantity('1.5')!), 2n);
  assert.equal(quantityValue(parseQuantity(3)!), 3n);
});

test('parses memory suffixes to bytes', () => {
  assert.equal(quantityValue(parseQuantity('1Gi')!), 1073741824n);
  assert.equal(quantityValue(parseQuantity('2G')!), 2000000000n);
  assert.equal(quantityValue(parseQuantity('512Mi')!), 536870912n);
  assert.equal(quantityValue(parseQuantity('1e3')!), 1000n);
});

test('rejects invalid text', () => {
  assert.equal(parseQuantity('abc'), undefined);
  assert.equal(parseQuantity('1Gb'), undefined);
  assert.equal(parseQuantity(''), undefined);
});

test('formats sums canonically', () => {
  const gi = parseQuantity('1Gi')!;
  assert.equal(formatQuantity(scaleQuantity(gi, 4)), '4Gi');
  assert.equal(formatQuantity(addQuantities(parseQuantity('1')!, parseQuantity('3')!)), '4');
  assert.equal(formatQuantity(addQuantities(parseQuantity('500m')!, parseQuantity('1')!)), '1500m');
  assert.equal(formatQuantity(parseQuantity('1500Mi')!), '1500Mi');
  assert.equal(formatQuantity(parseQuantity('2000')!), '2k');
  assert.equal(formatQuantity(parseQuantity('0')!), '0');
});
