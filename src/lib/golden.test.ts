import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readGolden } from './golden.ts';

function inTmp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a missing golden file is an error naming the file, and is not created', () => {
  inTmp((dir) => {
    const path = join(dir, 'x.golden.yaml');
    assert.throws(
      () => readGolden(path, 'new output\n', false),
      (e: Error) => e.message.includes(path) && e.message.includes('UPDATE_GOLDEN=1'),
    );
    assert.equal(existsSync(path), false);
  });
});

test('with update the golden file is written; without it the stored text is returned unchanged', () => {
  inTmp((dir) => {
    const path = join(dir, 'x.golden.yaml');
    assert.equal(readGolden(path, 'a\n', true), 'a\n');
    assert.equal(readFileSync(path, 'utf8'), 'a\n');
    writeFileSync(path, 'old\n');
    assert.equal(readGolden(path, 'new\n', false), 'old\n');
    assert.equal(readFileSync(path, 'utf8'), 'old\n');
  });
});
