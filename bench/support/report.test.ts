import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cell, median, type Row, renderTable } from './report.ts';

test('median of odd and even counts, undefined when empty', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), undefined);
});

const row = (operator: string, concurrency: number, s: number, exact = true): Row => ({
  operator,
  concurrency,
  exact,
  load: [1, 2],
  secondsUntilAllPodsExist: s,
});

test('a cell shows the median of the exact runs and every value; inexact runs are left out', () => {
  assert.deepEqual(
    cell(
      [row('ours', 1, 3), row('ours', 1, 1), row('ours', 1, 99, false), row('ours', 1, 2)],
      'secondsUntilAllPodsExist',
      1,
    ),
    {
      text: '2.0 (3.0, 1.0, 2.0)',
      median: 2,
    },
  );
  assert.deepEqual(cell([row('ours', 1, 99, false)], 'secondsUntilAllPodsExist', 1), { text: '-' });
});

test('the table has a line per measure and concurrency with the ratio of the medians and the raw limit', () => {
  const text = renderTable(
    [row('ours', 1, 10), row('kuberay', 1, 20), row('raw', 16, 5), row('ours', 10, 8), row('kuberay', 10, 8)],
    { clusters: 2, workers: 3, fairness: 0, idleSeconds: 60 },
  );
  const lines = text.split('\n');
  assert.match(
    lines[0]!,
    /^2 x 3 \(8 pods\), fairness 0 -> 0, idle window 60 s; load average during the runs 2\.0-2\.0$/,
  );
  assert.ok(lines.includes('| seconds until all pods exist, c1 | 10.0 | 20.0 | 0.50 | 5.0 |'));
  assert.ok(lines.includes('| seconds until all pods exist, c10 | 8.0 | 8.0 | 1.00 | 5.0 |'));
  assert.ok(!text.includes('operator peak RSS'), 'a measure no run took has no line');
  const half = renderTable([row('ours', 1, 10), { ...row('kuberay', 1, 20), peakRssMiB: 150 }], {
    clusters: 2,
    workers: 3,
    fairness: 0,
    idleSeconds: 60,
  });
  assert.ok(half.split('\n').includes('| operator peak RSS (MiB), c1 | - | 150 | - |  |'), half);
});

test('the header names the memory cgroup the operators ran in', () => {
  const text = renderTable([row('ours', 1, 10), row('kuberay', 1, 20)], {
    clusters: 2,
    workers: 3,
    fairness: 0,
    idleSeconds: 60,
    memoryLimitMiB: 512,
  });
  assert.match(
    text.split('\n')[0]!,
    /idle window 60 s; operators in a memory cgroup of 512 MiB; load average/,
  );
});

test('the server CPU until all pods exist has a raw column as the time does', () => {
  const cpu = (r: Row, serverCpuSecondsUntilAllPodsExist: number): Row => ({
    ...r,
    serverCpuSecondsUntilAllPodsExist,
  });
  const text = renderTable(
    [cpu(row('ours', 1, 10), 12), cpu(row('kuberay', 1, 20), 16), cpu(row('raw', 16, 5), 9)],
    { clusters: 2, workers: 3, fairness: 0, idleSeconds: 60 },
  );
  const lines = text.split('\n');
  assert.ok(
    lines.includes('| API server + etcd CPU seconds until all pods exist, c1 | 12.0 | 16.0 | 0.75 | 9.0 |'),
    text,
  );
  assert.ok(lines.includes('| seconds until all pods exist, c1 | 10.0 | 20.0 | 0.50 | 5.0 |'), text);
});
