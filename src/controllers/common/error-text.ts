import { ApiError } from '../../k8s/api-error.ts';
import { errorMessage } from '../../lib/errors.ts';

/**
 * The text KubeRay shows for an error (Go's `err.Error()`): for an API server error, the message of the
 * `Status` it returned (`Pod "x" is invalid: ...`), not our request line; for anything else, its message.
 */
export function errorText(err: unknown): string {
  if (err instanceof ApiError && err.body?.message) return err.body.message;
  return errorMessage(err);
}

/**
 * Go's `errors.Join(marker, err).Error()`: the marker, a newline, then the error's text. KubeRay marks the
 * pod errors that set the RayCluster ReplicaFailure condition this way (`FailedCreateHeadPod\nPod ...`).
 */
export function joinedErrorText(marker: string, err: unknown): string {
  return `${marker}\n${errorText(err)}`;
}
