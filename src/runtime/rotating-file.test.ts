import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { rotatingFileWriter } from './rotating-file.ts';

test('rotatingFileWriter rotates at the size limit and keeps a bounded number of backups', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rot-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let now = Date.parse('2026-01-01T00:00:00Z');
  const write = rotatingFileWriter(join(dir, 'operator.log'), {
    maxBytes: 10,
    maxBackups: 2,
    now: () => now,
  });
  for (const line of ['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee']) {
    write(line);
    now += 1000;
  }
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, [
    'operator-2026-01-01T00-00-02.000.log',
    'operator-2026-01-01T00-00-04.000.log',
    'operator.log',
  ]);
  assert.equal(readFileSync(join(dir, 'operator.log'), 'utf8'), 'eeee\n');
  assert.equal(readFileSync(join(dir, 'operator-2026-01-01T00-00-04.000.log'), 'utf8'), 'cccc\ndddd\n');
});
