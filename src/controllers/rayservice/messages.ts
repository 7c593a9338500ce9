import { errorText } from '../common/error-text.ts';
import { goDurationString } from '../common/go-format.ts';

/**
 * The texts of the RayService controller's Events and Ready condition, as KubeRay v1.5.0 writes them for the
 * same reasons; where we say more, KubeRay's text comes first. Pure; `ref` is `namespace/name`, `err` any
 * thrown value (shown as Go's `err.Error()`).
 */

export const invalidRayServiceMessage = (part: 'metadata' | 'spec', ref: string, err: string) =>
  `The RayService ${part} is invalid ${ref}: ${err}`;

export const createdClusterMessage = (ref: string) => `Created the RayCluster ${ref}`;
export const failedToCreateClusterMessage = (ref: string, err: unknown) =>
  `Failed to create the RayCluster ${ref}: ${errorText(err)}`;

export const updatedClusterMessage = (side: 'active' | 'pending', ref: string) =>
  `Updated the ${side} RayCluster ${ref}`;
export const failedToUpdateClusterMessage = (side: 'active' | 'pending', ref: string, err: unknown) =>
  `Failed to update the ${side} RayCluster ${ref}: ${errorText(err)}`;

export const deletedClusterMessage = (ref: string) => `Deleted the RayCluster ${ref}`;
export const failedToDeleteClusterMessage = (ref: string, err: unknown) =>
  `Failed to delete the RayCluster ${ref}: ${errorText(err)}`;

export const createdServiceMessage = (ref: string) => `Created the service ${ref}`;
export const failedToCreateServiceMessage = (ref: string, err: unknown) =>
  `Failed to create the service ${ref}, ${errorText(err)}`;
/** We also say which cluster the Service now selects. */
export const updatedServiceMessage = (ref: string, cluster: string) =>
  `Updated the service ${ref}; it now selects RayCluster ${cluster}`;
export const failedToUpdateServiceMessage = (ref: string, err: unknown) =>
  `Failed to update the service ${ref}, ${errorText(err)}`;

export const updatedServeApplicationsMessage = (ref: string) =>
  `Updated serve applications to the RayCluster ${ref}`;
/** KubeRay wraps the dashboard's error with a pointer to the troubleshooting guide. */
export const failedToUpdateServeApplicationsMessage = (ref: string, err: unknown) =>
  `Failed to update serve applications to the RayCluster ${ref}: fail to create / update Serve applications. If you observe this error consistently, please check "Issue 5: Fail to create / update Serve applications." in https://docs.ray.io/en/master/cluster/kubernetes/troubleshooting/rayservice-troubleshooting.html#kuberay-raysvc-troubleshoot for more details. err: ${errorText(err)}`;

/** KubeRay's text says "to to"; kept as it is. We add the value. */
export const updatedTargetCapacityMessage = (ref: string, value: number) =>
  `Updated target_capacity of serve applications to to the RayCluster ${ref}; target_capacity ${value}`;
export const failedToUpdateTargetCapacityMessage = (ref: string, err: unknown) =>
  `Failed to update target_capacity of serve applications to the RayCluster ${ref}: ${errorText(err)}`;

/** The label value in Go's %q form. */
export const updatedServeLabelMessage = (ref: string, value: string) =>
  `Updated the serve label to ${JSON.stringify(value)} for the Head Pod ${ref}`;
export const failedToUpdateServeLabelMessage = (ref: string, value: string, err: unknown) =>
  `Failed to update the serve label to ${JSON.stringify(value)} for the Head Pod ${ref}: ${errorText(err)}`;

export const createdGatewayMessage = (ref: string) => `Created Gateway for RayService ${ref}`;
export const updatedGatewayMessage = (ref: string) => `Updated the Gateway ${ref}`;

/** The initializing timeout: Ready condition message and event, durations in Go's form. */
export const initializingTimeoutConditionMessage = (timeoutMs: number, spentMs: number) =>
  `RayService failed to become ready within the configured timeout of ${goDurationString(timeoutMs)}. Time spent initializing: ${goDurationString(spentMs)}`;
export const initializingTimeoutEventMessage = (timeoutMs: number, spentMs: number) =>
  `RayService initializing timeout exceeded after ${goDurationString(spentMs)} (configured timeout: ${goDurationString(timeoutMs)})`;
