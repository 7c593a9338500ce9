import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

/** Every export of the package has a TSDoc comment; exported functions and classes carry an @example. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

test('every export is documented, functions and classes with an example', () => {
  const problems: string[] = [];
  for (const file of sources(import.meta.dirname)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = /^export (?:async )?(function\*?|class|const|interface|type) (\w+)/.exec(line);
      if (!m) return;
      const where = `${relative(import.meta.dirname, file)}:${i + 1} ${m[2]}`;
      if (!lines[i - 1]?.trim().endsWith('*/')) {
        problems.push(`${where}: no TSDoc comment`);
        return;
      }
      let start = i - 1;
      while (start > 0 && !lines[start]!.trim().startsWith('/**')) start--;
      const doc = lines.slice(start, i).join('\n');
      if ((m[1]!.startsWith('function') || m[1] === 'class') && !doc.includes('@example'))
        problems.push(`${where}: no @example`);
    });
  }
  assert.deepEqual(problems, []);
});
