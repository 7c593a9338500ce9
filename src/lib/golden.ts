import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The expected text of a golden-file (snapshot) test. With `update` (UPDATE_GOLDEN=1) the file is first
 * (re)written with `actual`. Without it a missing golden file is an error: writing it and comparing it with
 * itself would pass a test that checks nothing.
 */
export function readGolden(path: string, actual: string, update: boolean): string {
  if (update) writeFileSync(path, actual);
  else if (!existsSync(path))
    throw new Error(
      `golden file ${path} is missing: run the test with UPDATE_GOLDEN=1 to create it, then review it`,
    );
  return readFileSync(path, 'utf8');
}
