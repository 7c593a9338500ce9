import { KuberayError } from '../../../src/lib/errors.ts';

export { ApiError, isAlreadyExists, isConflict, isNotFound } from '../../../src/k8s/api-error.ts';
export { KuberayError };

/**
 * Bad input to the client (a builder option, a missing name, an unknown kind). The message names the field
 * and the reason.
 *
 * @example
 * ```ts
 * try {
 *   rayClusterManifest({ name: 'demo', workers: -1 });
 * } catch (e) {
 *   if (e instanceof ClientError) console.error(e.message); // "workers: must be a whole number >= 0, got -1"
 * }
 * ```
 */
export class ClientError extends KuberayError {}

/**
 * A `waitFor` ran out of time. `lastSeen` is the object as last observed (undefined if it was never read),
 * so callers can report what it was waiting on.
 *
 * @example
 * ```ts
 * try {
 *   await client.waitFor(cluster, 'ready', { timeoutMs: 60_000 });
 * } catch (e) {
 *   if (e instanceof WaitTimeoutError) console.error(e.message, e.lastSeen?.status);
 * }
 * ```
 */
export class WaitTimeoutError extends KuberayError {
  readonly lastSeen: unknown;
  constructor(message: string, lastSeen: unknown) {
    super(message);
    this.lastSeen = lastSeen;
  }
}

/**
 * A `waitFor` can never succeed: the object reached a state the condition rules out (a RayJob that FAILED
 * while waiting for SUCCEEDED) or was deleted. `object` is the object in that state.
 *
 * @example
 * ```ts
 * try {
 *   await client.waitFor(job, 'succeeded');
 * } catch (e) {
 *   if (e instanceof WaitConditionError) console.error(e.message); // "... jobStatus FAILED ..."
 * }
 * ```
 */
export class WaitConditionError extends KuberayError {
  readonly object: unknown;
  constructor(message: string, object: unknown) {
    super(message);
    this.object = object;
  }
}
