import { errorText } from '../common/error-text.ts';
import { goDateTime, goDurationString, goTimeString } from '../common/go-format.ts';

/**
 * The texts of the RayJob controller's Events, as KubeRay v1.5.0 writes them for the same reasons. Pure;
 * `ref` is `namespace/name`, `err` any thrown value (shown as Go's `err.Error()`).
 */
export interface WriteTexts {
  /** After the write succeeded. */
  readonly done: (ref: string) => string;
  /** After it failed. */
  readonly failed: (ref: string, err: unknown) => string;
}

export const clusterTexts: WriteTexts = {
  done: (ref) => `Created RayCluster ${ref}`,
  failed: (ref, err) => `Failed to create RayCluster ${ref}: ${errorText(err)}`,
};

export const submitterTexts: WriteTexts = {
  done: (ref) => `Created Kubernetes Job ${ref}`,
  failed: (ref, err) => `Failed to create new Kubernetes Job ${ref}: ${errorText(err)}`,
};

export const serviceTexts: WriteTexts = {
  done: (ref) => `Created the service ${ref}`,
  failed: (ref, err) => `Failed to create the service ${ref}, ${errorText(err)}`,
};

export const updatedServiceMessage = (ref: string) => `Updated the service ${ref}`;
export const failedToUpdateServiceMessage = (ref: string, err: unknown) =>
  `Failed to update the service ${ref}, ${errorText(err)}`;

export const deleteClusterTexts: WriteTexts = {
  done: (ref) => `Deleted cluster ${ref}`,
  failed: (ref, err) => `Failed to delete cluster ${ref}: ${errorText(err)}`,
};

export const deleteSubmitterTexts: WriteTexts = {
  done: (ref) => `Deleted submitter K8s Job ${ref}`,
  failed: (ref, err) => `Failed to delete submitter K8s Job ${ref}: ${errorText(err)}`,
};

export const suspendedWorkerGroupsMessage = (ref: string) =>
  `Set the \`suspend\` field to true for all worker groups in cluster ${ref}`;
export const failedToSuspendWorkerGroupsMessage = (ref: string, err: unknown) =>
  `Failed to suspend worker groups in cluster ${ref}: ${errorText(err)}`;

/** A validation failure: KubeRay prefixes the validator's message with the RayJob's `namespace/name`. */
export const invalidRayJobMessage = (ref: string, err: string) => `${ref}: ${err}`;

export const clusterSelectorNotFoundMessage = (ref: string) =>
  `RayCluster ${ref} set in the clusterSelector is not found. It must be created manually`;

/** status.message when activeDeadlineSeconds passed; the start time as Go prints a time. */
export const activeDeadlineMessage = (startTime: string | undefined, limitSeconds: number) =>
  `The RayJob has passed the activeDeadlineSeconds. StartTime: ${goTimeString(startTime)}. ActiveDeadlineSeconds: ${limitSeconds}`;

/** Same pattern for preRunningDeadlineSeconds (not in KubeRay v1.5.0). */
export const preRunningDeadlineMessage = (startTime: string | undefined, limitSeconds: number) =>
  `The RayJob has passed the preRunningDeadlineSeconds before reaching Running. StartTime: ${goTimeString(startTime)}. PreRunningDeadlineSeconds: ${limitSeconds}`;

/** status.message when the Ray job was terminal but the RayJob stayed Running past the transition grace period. */
export const transitionGracePeriodExceededMessage =
  'JobDeploymentStatus does not transition to Complete or Failed within the grace period after JobStatus reaches a terminal state.';

/** status.message when the submitter finished but the Ray job never reached a terminal status. */
export const submitterFinishedTimeoutMessage = (finishedAtMs: number, timeoutSeconds: number) =>
  `The RayJob submitter finished at ${goDateTime(finishedAtMs)} but the ray job did not reach terminal state within ${goDurationString(timeoutSeconds * 1000)}`;

/** status.message when the sidecar submitter container failed before the Ray job did. */
export const submitterContainerFailedMessage = (
  container: string,
  exitCode: number | undefined,
  reason: string | undefined,
) => `Ray head pod container ${container} terminated with exit code ${exitCode ?? 0}: ${reason ?? ''}`;
