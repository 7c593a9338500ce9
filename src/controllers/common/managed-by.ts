import { API_VERSION, Kinds, ManagedBy } from '../../api/constants.ts';
import type { KubeObject, RayCluster } from '../../api/index.ts';

/** Whether this operator reconciles an object whose `spec.managedBy` is this: unset, or KubeRay's own name. */
export const managedByOperator = (managedBy: string | undefined): boolean =>
  managedBy === undefined || managedBy === ManagedBy.kuberayOperator;

/**
 * The RayCluster an add-on controller (mTLS, NetworkPolicy) acts on: a copy of the cached one, or undefined
 * when it is gone, being deleted or managed by another controller.
 */
export function clusterToReconcile(cached: RayCluster | undefined): RayCluster | undefined {
  if (!cached || cached.metadata.deletionTimestamp || !managedByOperator(cached.spec.managedBy))
    return undefined;
  return structuredClone(cached);
}

/** A RayCluster as the subject of an Event (objects from a list carry no apiVersion and kind). */
export const rayClusterSubject = (rc: RayCluster): KubeObject => ({
  apiVersion: API_VERSION,
  kind: Kinds.RayCluster,
  ...rc,
});
