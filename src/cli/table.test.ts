import assert from 'node:assert/strict';
import { test } from 'node:test';
import { age, humanDuration, renderTable, statusColor } from './table.ts';

const ESC = String.fromCharCode(27);

test("kubectl's table layout: upper-case headers, widest cell + 3 spaces (at least 6), last column unpadded", () => {
  const out = renderTable(
    ['Name', 'Replicas', 'Cluster'],
    [
      ['a', '1/1', 'raycluster-kuberay'],
      ['workergroup', '0/2', 'c'],
    ],
  );
  assert.equal(
    out,
    [
      'NAME          REPLICAS   CLUSTER',
      'a             1/1        raycluster-kuberay',
      'workergroup   0/2        c',
      '',
    ].join('\n'),
  );
  assert.equal(renderTable(['A', 'B'], [['x', 'y']]), 'A     B\nx     y\n');
});

test('an empty table prints nothing (the printer skips headers without rows)', () => {
  assert.equal(renderTable(['Name'], []), '');
});

test('colour only when asked: bold headers and a coloured status cell', () => {
  const plain = renderTable(['Name', 'Status'], [['c', 'ready']]);
  assert.ok(!plain.includes(ESC));
  const coloured = renderTable(
    ['Name', 'Status'],
    [
      ['c', 'ready'],
      ['d', 'failed'],
    ],
    { color: true, statusColumn: 1 },
  );
  assert.ok(coloured.includes(`${ESC}[1mNAME${ESC}[0m`));
  assert.ok(coloured.includes(`${ESC}[32mready${ESC}[0m`));
  assert.ok(coloured.includes(`${ESC}[31mfailed${ESC}[0m`));
  assert.equal(statusColor(''), undefined);
  assert.equal(statusColor('suspended'), 'yellow');
});

test("apimachinery's HumanDuration", () => {
  const s = 1000;
  const cases: [number, string][] = [
    [-5 * s, '<invalid>'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [200 * s, '3m20s'],
    [240 * s, '4m'],
    [15 * 60 * s, '15m'],
    [5 * 3600 * s + 3 * 60 * s, '5h3m'],
    [30 * 3600 * s, '30h'],
    [(3 * 24 + 4) * 3600 * s, '3d4h'],
    [400 * 24 * 3600 * s, '400d'],
    [(3 * 365 + 10) * 24 * 3600 * s, '3y10d'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
  assert.equal(age(undefined, 0), '<unknown>');
  assert.equal(age('2025-01-01T00:00:00Z', Date.parse('2025-01-01T00:00:30Z')), '30s');
});
