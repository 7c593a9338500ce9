import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findUnusedExports } from './unused-exports.ts';

/**
 * Exports of src/ that no other file imports and that stay exported on purpose, each with its reason. What the
 * client SDK and the dashboard take from src/ needs no entry: their imports count as uses.
 */
const allowed: Readonly<Record<string, string>> = {};

test('every export of src/ is imported by another file, or is on the allow-list with its reason', () => {
  const found = findUnusedExports('src').map((u) => `${u.file} ${u.name}`);
  assert.deepEqual(
    found.filter((key) => !(key in allowed)),
    [],
    'un-export what is used only in its own file (node scripts/unused-exports.ts --dir <folder> --fix), delete what is used nowhere',
  );
  // An entry that no longer matches anything is stale.
  assert.deepEqual(
    Object.keys(allowed).filter((key) => !found.includes(key)),
    [],
  );
});
