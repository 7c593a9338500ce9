import type { RayCluster, RayJob } from '../../api/index.ts';
import {
  buildRayJobPodGroup,
  finishedGangShape,
  rayJobPodGroupName,
  usesRayJobPodGroup,
} from '../../builders/rayjob/index.ts';
import type { RayJobConfig } from './config.ts';
import type { Action } from './types.ts';

/** Initializing, before the cluster (the batch-scheduler hook): the RayJob's PodGroup. */
export function batchSchedulingActions(rayJob: RayJob, config: RayJobConfig): Action[] {
  if (!usesRayJobPodGroup(rayJob, config.batchScheduler)) return [];
  return [{ type: 'applyPodGroup', podGroup: buildRayJobPodGroup(rayJob) }];
}

/**
 * Terminal states (every pass), Suspending and Retrying (once the cluster is gone): shrink the PodGroup to what
 * is still running, so the gang no longer reserves the finished job's resources.
 */
export function batchSchedulingCleanup(
  rayJob: RayJob,
  cluster: RayCluster | null | undefined,
  config: RayJobConfig,
): Action[] {
  if (!usesRayJobPodGroup(rayJob, config.batchScheduler)) return [];
  return [{ type: 'shrinkPodGroup', name: rayJobPodGroupName(rayJob), shape: finishedGangShape(cluster) }];
}
