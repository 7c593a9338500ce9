import { readFileSync } from 'node:fs';
import { errorMessage } from '../lib/errors.ts';

/** The version in package.json, as the processes report it. */
export const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Runs a process's flag parser: a bad flag prints the error and a hint to stderr and gives exit code 2,
 * `--help` prints the help text to stdout and gives 0; otherwise the parsed configuration.
 */
export function configOrExit<R extends { readonly kind: string }>(
  parse: () => R,
): Exclude<R, { readonly kind: 'help' }> | number {
  let result: R;
  try {
    result = parse();
  } catch (err) {
    process.stderr.write(`${errorMessage(err)}\nRun with --help for usage.\n`);
    return 2;
  }
  if (result.kind === 'help' && 'text' in result) {
    process.stdout.write(String(result.text));
    return 0;
  }
  return result as Exclude<R, { readonly kind: 'help' }>;
}
