import { ApiError } from '../../k8s/api-error.ts';
import { errorMessage } from '../../lib/errors.ts';
import { Code, RpcError } from '../http/status.ts';

/**
 * KubeRay's server answers a user error with the message `<external>: <wrapped internal chain>` (its
 * UserError.ErrorStringWithoutStackTrace): e.g. `Cluster c not found: Get cluster failed.: NotFoundError: Cluster c
 * not found: rayclusters.ray.io "c" not found`. These helpers build the same text.
 */
export class UserError extends RpcError {
  readonly external: string;
  readonly internal: string;
  constructor(code: Code, external: string, internal: string) {
    super(code, `${external}: ${internal}`);
    this.external = external;
    this.internal = internal;
  }
  /** util.Wrap: prefixes the internal chain. */
  wrap(context: string): UserError {
    return new UserError(this.code, this.external, `${context}: ${this.internal}`);
  }
}

/** util.NewInvalidInputError. */
export const invalidInput = (message: string): UserError =>
  new UserError(Code.InvalidArgument, message, `Invalid input error: ${message}`);

/** util.NewNotFoundError(err, message). */
export const notFoundError = (cause: unknown, message: string): UserError =>
  new UserError(Code.NotFound, message, `NotFoundError: ${message}: ${errorMessage(kubeText(cause))}`);

/** util.NewInternalServerError(err, message). */
export const internalError = (cause: unknown, message: string): UserError =>
  new UserError(
    Code.Internal,
    'Internal Server Error',
    `InternalServerError: ${message}: ${kubeText(cause)}`,
  );

/** util.NewAlreadyExistError. */
export const alreadyExists = (message: string): UserError =>
  new UserError(Code.AlreadyExists, message, `Already exist error: ${message}`);

/** util.NewInvalidInputErrorWithDetails(err, message). */
export const invalidInputWithDetails = (cause: unknown, message: string): UserError =>
  new UserError(Code.InvalidArgument, message, `InvalidInputError: ${message}: ${kubeText(cause)}`);

/** The text of a Kubernetes error as client-go prints it (the Status message), or of any other error. */
function kubeText(err: unknown): string {
  if (err instanceof ApiError) return err.body?.message ?? errorMessage(err);
  return errorMessage(err);
}

/**
 * Wraps any error as KubeRay's util.Wrap does: a UserError keeps its code; a Kubernetes refusal of the
 * impersonated caller keeps its meaning (401/403 pass through); anything else is Unknown (HTTP 500).
 */
export function wrap(err: unknown, context: string): RpcError {
  if (err instanceof UserError) return err.wrap(context);
  if (err instanceof ApiError && (err.status === 401 || err.status === 403))
    return new RpcError(
      err.status === 401 ? Code.Unauthenticated : Code.PermissionDenied,
      `${context}: ${kubeText(err)}`,
    );
  if (err instanceof RpcError) return new RpcError(err.code, `${context}: ${err.message}`);
  return new RpcError(Code.Unknown, `${context}: ${kubeText(err)}`);
}

/** A Kubernetes refusal (401/403) of the impersonated caller, answered as such instead of as an internal error. */
export function forbiddenPassThrough(err: unknown): RpcError | undefined {
  if (err instanceof ApiError && err.status === 403)
    return new RpcError(Code.PermissionDenied, kubeText(err));
  if (err instanceof ApiError && err.status === 401) return new RpcError(Code.Unauthenticated, kubeText(err));
  return undefined;
}
