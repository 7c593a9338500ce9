import { API_VERSION, Kinds, ManagedBy } from '../../api/constants.ts';
import type { KubeObject, RayCluster } from '../../api/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ReconcileRequest } from '../../runtime/controller.ts';
import type { CacheReader } from '../../runtime/store.ts';
import type { EventRecorder } from './events.ts';

/** Whether this operator reconciles an object whose `spec.managedBy` is this: unset, or KubeRay's own name. */
export const managedByOperator = (managedBy: string | undefined): boolean =>
  managedBy === undefined || managedBy === ManagedBy.kuberayOperator;

/** What an add-on controller of a RayCluster (mTLS, NetworkPolicy) reads and writes with. */
export interface ClusterAddOnDeps {
  readonly client: KubeClient;
  readonly clusters: CacheReader<RayCluster>;
  readonly events: EventRecorder;
  readonly logger: Logger;
}

/**
 * The RayCluster an add-on controller acts on for a request, and the request's namespace: a copy of the cached
 * cluster, or undefined when it is gone, being deleted or managed by another controller.
 */
export function clusterToReconcile(
  clusters: CacheReader<RayCluster>,
  req: ReconcileRequest,
): { ns: string; rc: RayCluster | undefined } {
  const ns = req.namespace ?? '';
  const cached = clusters.get(ns, req.name);
  if (!cached || cached.metadata.deletionTimestamp || !managedByOperator(cached.spec.managedBy))
    return { ns, rc: undefined };
  return { ns, rc: structuredClone(cached) };
}

/** A RayCluster as the subject of an Event (objects from a list carry no apiVersion and kind). */
export const rayClusterSubject = (rc: RayCluster): KubeObject => ({
  apiVersion: API_VERSION,
  kind: Kinds.RayCluster,
  ...rc,
});
