import type { RayClusterSpec } from './raycluster.ts';
import type { RayJobSpec } from './rayjob.ts';
import type { RayServiceSpec } from './rayservice.ts';

/**
 * Defaults the controllers apply on top of the CRD defaults (pure: return a new object, never mutate).
 * The CRD itself defaults replicas/minReplicas (0), maxReplicas (2147483647), numOfHosts (1), submissionMode
 * (K8sJobMode), backoffLimit/ttlSecondsAfterFinished (0), maxSurgePercent (100), networkPolicy.mode (DenyAll).
 */

/** rayClusterDeletionDelaySeconds when unset. */
export const DEFAULT_RAY_CLUSTER_DELETION_DELAY_SECONDS = 60;
/** The submitter Job's backoffLimit when submitterConfig.backoffLimit is unset. */
export const DEFAULT_SUBMITTER_BACKOFF_LIMIT = 2;
/** The CRD default of maxReplicas. */
export const MAX_INT32 = 2147483647;

/** Defaulting: nil rayStartParams become {} on the head and every worker group. */
export function applyRayClusterDefaults(spec: RayClusterSpec): RayClusterSpec {
  return {
    ...spec,
    headGroupSpec: { ...spec.headGroupSpec, rayStartParams: spec.headGroupSpec.rayStartParams ?? {} },
    ...(spec.workerGroupSpecs
      ? {
          workerGroupSpecs: spec.workerGroupSpecs.map((g) => ({
            ...g,
            rayStartParams: g.rayStartParams ?? {},
          })),
        }
      : {}),
  };
}

/** The RayJob's cluster template gets the RayCluster defaults; submissionMode falls back to K8sJobMode. */
export function applyRayJobDefaults(spec: RayJobSpec): RayJobSpec {
  return {
    ...spec,
    submissionMode: spec.submissionMode ?? 'K8sJobMode',
    ...(spec.rayClusterSpec ? { rayClusterSpec: applyRayClusterDefaults(spec.rayClusterSpec) } : {}),
  };
}

export function applyRayServiceDefaults(spec: RayServiceSpec): RayServiceSpec {
  return {
    ...spec,
    rayClusterConfig: applyRayClusterDefaults(spec.rayClusterConfig),
    rayClusterDeletionDelaySeconds:
      spec.rayClusterDeletionDelaySeconds ?? DEFAULT_RAY_CLUSTER_DELETION_DELAY_SECONDS,
  };
}

/** Controller-side defaults of optional fields, for the builders. */
export const DEFAULT_INGRESS_PATH = '/';
export const DEFAULT_INGRESS_PATH_TYPE = 'Prefix';
export const DEFAULT_AUTOSCALER_RESOURCES = Object.freeze({
  requests: Object.freeze({ cpu: '500m', memory: '512Mi' }),
  limits: Object.freeze({ cpu: '500m', memory: '512Mi' }),
});
export const DEFAULT_AUTOSCALER_IMAGE_PULL_POLICY = 'IfNotPresent';
export const DEFAULT_GCS_STORAGE_SIZE = '1Gi';
export const DEFAULT_GCS_STORAGE_ACCESS_MODES: readonly string[] = Object.freeze(['ReadWriteOnce']);
export const DEFAULT_GCS_STORAGE_DELETION_POLICY = 'DeleteWithCluster';
