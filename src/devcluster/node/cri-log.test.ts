import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  encodeRecord,
  formatTime,
  LineSplitter,
  type LogRecord,
  LogRenderer,
  MAX_RECORD_BYTES,
  parseRecord,
  parseRecords,
  parseTime,
  tailRecords,
} from './cri-log.ts';

const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z

test('formatTime writes Go RFC3339Nano: trailing zeros dropped, no fraction when zero', () => {
  assert.equal(formatTime(T0), '2026-01-01T00:00:00Z');
  assert.equal(formatTime(T0 + 123_400_000n), '2026-01-01T00:00:00.1234Z');
  assert.equal(formatTime(T0 + 5n), '2026-01-01T00:00:00.000000005Z');
});

test('parseTime reads RFC3339 with offsets and fractions, and rejects the rest', () => {
  assert.equal(parseTime('2026-01-01T00:00:00Z'), T0);
  assert.equal(parseTime('2026-01-01T01:00:00.5+01:00'), T0 + 500_000_000n);
  assert.equal(parseTime('2026-01-01 00:00:00'), undefined);
  assert.equal(parseTime('yesterday'), undefined);
});

test('a record round-trips; lines that are not records are skipped', () => {
  const line = encodeRecord(T0 + 42n, 'stderr', true, Buffer.from('a b  c'));
  assert.equal(line.toString(), '2026-01-01T00:00:00.000000042Z stderr P a b  c\n');
  const r = parseRecord(line.subarray(0, line.length - 1))!;
  assert.deepEqual(
    { ...r, text: r.text.toString() },
    {
      time: '2026-01-01T00:00:00.000000042Z',
      ns: T0 + 42n,
      stream: 'stderr',
      partial: true,
      text: 'a b  c',
    },
  );
  const empty = parseRecord(Buffer.from('2026-01-01T00:00:00Z stdout F'))!;
  assert.equal(empty.text.length, 0);
  assert.equal(parseRecords(Buffer.from('junk\n2026-01-01T00:00:00Z stdout F x\nhalf')).length, 1);
});

test('LineSplitter: complete lines are F records, an unfinished one waits, long ones are cut into P pieces', () => {
  const out: [boolean, string][] = [];
  const s = new LineSplitter((p, t) => out.push([p, t.toString()]));
  s.push(Buffer.from('one\ntw'));
  assert.deepEqual(out, [[false, 'one']]);
  s.push(Buffer.from('o\n\nthr'));
  assert.deepEqual(out.slice(1), [
    [false, 'two'],
    [false, ''],
  ]);
  s.flush();
  assert.deepEqual(out.at(-1), [false, 'thr']);
  out.length = 0;
  s.push(Buffer.from(`${'x'.repeat(MAX_RECORD_BYTES + 3)}\n`));
  assert.deepEqual(
    out.map(([p, t]) => [p, t.length]),
    [
      [true, MAX_RECORD_BYTES],
      [false, 3],
    ],
  );
});

const rec = (sec: number, text: string, partial = false): LogRecord => ({
  time: formatTime(T0 + BigInt(sec) * 1_000_000_000n),
  ns: T0 + BigInt(sec) * 1_000_000_000n,
  stream: 'stdout',
  partial,
  text: Buffer.from(text),
});

test('tailRecords counts lines, with a partial record and its end as one line', () => {
  const rs = [rec(1, 'a'), rec(2, 'b1', true), rec(3, 'b2'), rec(4, 'c')];
  const texts = (n?: number) => tailRecords(rs, n).map((r) => r.text.toString());
  assert.deepEqual(texts(1), ['c']);
  assert.deepEqual(texts(2), ['b1', 'b2', 'c']);
  assert.deepEqual(texts(10), ['a', 'b1', 'b2', 'c']);
  assert.deepEqual(texts(0), []);
  assert.deepEqual(texts(undefined), ['a', 'b1', 'b2', 'c']);
  assert.deepEqual(
    tailRecords([rec(1, 'a'), rec(2, 'z', true)], 1).map((r) => r.text.toString()),
    ['z'],
  );
});

test('LogRenderer: timestamps once per line, since filter, limitBytes across calls', () => {
  const rs = [rec(1, 'a'), rec(2, 'b1', true), rec(3, 'b2'), rec(4, 'c')];
  assert.equal(new LogRenderer({}).render(rs).toString(), 'a\nb1b2\nc\n');
  assert.equal(
    new LogRenderer({ timestamps: true }).render(rs).toString(),
    '2026-01-01T00:00:01Z a\n2026-01-01T00:00:02Z b1b2\n2026-01-01T00:00:04Z c\n',
  );
  assert.equal(new LogRenderer({ sinceNs: T0 + 3_000_000_000n }).render(rs).toString(), 'b2\nc\n');
  const limited = new LogRenderer({ limitBytes: 5 });
  assert.equal(limited.render(rs.slice(0, 2)).toString(), 'a\nb1');
  assert.equal(limited.exhausted, false);
  assert.equal(limited.render(rs.slice(2)).toString(), 'b');
  assert.equal(limited.exhausted, true);
  assert.equal(limited.render([rec(5, 'more')]).length, 0);
});
