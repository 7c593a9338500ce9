/** Base error of the project: every thrown value is an Error subclass with an optional cause. */
export class KuberayError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An error that retrying cannot fix (an invalid spec, a missing required object the user must create).
 * Controllers record it as a Warning event and a condition, and do not requeue with backoff.
 */
export class TerminalError extends KuberayError {
  readonly reason: string;
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/** Returns the message of any thrown value, without assuming it is an Error. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
