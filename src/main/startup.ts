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

/**
 * The end of a process: exits with the code `run` gives, or, when it fails, writes `report(err)` as a line to
 * stderr and exits 1. `before` (closing the log files) runs before either exit.
 */
export function exitWhenDone(
  run: Promise<number>,
  report: (err: unknown) => string,
  before: () => Promise<void> | void = () => {},
): void {
  run.then(
    async (code) => {
      await before();
      process.exit(code);
    },
    async (err: unknown) => {
      process.stderr.write(`${report(err)}\n`);
      await before();
      process.exit(1);
    },
  );
}

/** A structured log line saying the process failed (for processes that log JSON lines). */
export const failureLine = (msg: string) => (err: unknown) =>
  JSON.stringify({ ts: new Date().toISOString(), level: 'error', msg, error: errorMessage(err) });
