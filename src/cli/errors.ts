/** Error messages of the CLI: one line, Kubernetes' own wording for API errors. */
import { ApiError } from '../k8s/api-error.ts';
import { KuberayError } from '../lib/errors.ts';

/** A failure the user must fix (bad input, missing object): printed as `Error: <message>`, exit 1. */
export class CliError extends KuberayError {}

/** The message of a thrown value, as one line for the terminal. */
export function errorLine(e: unknown): string {
  let msg: string;
  if (e instanceof ApiError) {
    if (e.status === 0) {
      const cause = e.cause instanceof Error ? e.cause.message : (e.body?.message ?? 'transport error');
      msg = `cannot reach the Kubernetes API server (${e.method} ${e.path}): ${cause}`;
    } else msg = e.body?.message ?? e.message;
  } else msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}

/** Prefixes the error's message with what was being done (Go's `fmt.Errorf("...: %w", err)`). */
export function wrap(context: string, e: unknown): CliError {
  return new CliError(`${context}: ${errorLine(e)}`, { cause: e });
}
