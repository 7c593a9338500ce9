import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RotatingFile } from './rotating-file.ts';

test('RotatingFile rotates at the size limit and keeps a bounded number of backups', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let now = Date.parse('2026-01-01T00:00:00Z');
  const file = new RotatingFile(join(dir, 'operator.log'), {
    maxBytes: 10,
    maxBackups: 2,
    now: () => now,
  });
  const write = (line: string) => file.write(line);
  for (const line of ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']) {
    write(line);
    now += 1000;
  }
  await file.close();
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, [
    'operator-2026-01-01T00-00-02.000.log',
    'operator-2026-01-01T00-00-04.000.log',
    'operator.log',
  ]);
  assert.equal(readFileSync(join(dir, 'operator.log'), 'utf8'), 'eeee\n');
  assert.equal(readFileSync(join(dir, 'operator-2026-01-01T00-00-04.000.log'), 'utf8'), 'cccc\ndddd\n');
});

test('RotatingFile writes asynchronously, keeps lines in order across rotations, and flushes on close', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let now = Date.parse('2026-01-01T00:00:00Z');
  const path = join(dir, 'operator.log');
  const file = new RotatingFile(path, { maxBytes: 4096, maxBackups: 100, now: () => now++ });
  const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
  lines.slice(0, 1000).forEach((l) => {
    file.write(l);
  });
  // Nothing is written before this synchronous code gives the event loop a turn.
  assert.ok(!existsSync(path) || readFileSync(path).length === 0, 'write does not block on the file');
  await file.flush();
  lines.slice(1000).forEach((l) => {
    file.write(l);
  });
  await file.close();
  file.write('after close');
  await file.flush();
  // Backups sort by their time stamp; the live file holds the newest lines.
  const backups = readdirSync(dir)
    .filter((f) => f !== 'operator.log')
    .sort();
  assert.ok(backups.length > 5, `rotated several times (${backups.length})`);
  const text = [...backups, 'operator.log'].map((f) => readFileSync(join(dir, f), 'utf8')).join('');
  assert.equal(text, lines.map((l) => `${l}\n`).join(''));
  for (const f of backups) assert.ok(readFileSync(join(dir, f)).length <= 4096, `${f} within the limit`);
});
