import type { Invocation, RunResult } from '../command.ts';
import { CliError } from '../errors.ts';

export async function session(_inv: Invocation): Promise<RunResult> {
  throw new CliError('not available yet in this build');
}
