import { API_VERSION, Kinds, ManagedBy } from '../../api/constants.ts';
import type { KubeObject, RayCluster } from '../../api/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { copyJson } from '../../lib/copy.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ReconcileRequest, ReconcileResult, Reconciler } from '../../runtime/controller.ts';
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
function clusterToReconcile(
  clusters: CacheReader<RayCluster>,
  req: ReconcileRequest,
): { ns: string; rc: RayCluster | undefined } {
  const ns = req.namespace ?? '';
  const cached = clusters.get(ns, req.name);
  if (!cached || cached.metadata.deletionTimestamp || !managedByOperator(cached.spec.managedBy))
    return { ns, rc: undefined };
  return { ns, rc: copyJson(cached) };
}

/** The cluster an add-on controller's reconcile acts on: a copy of the cached RayCluster, its namespace and name. */
export interface AddOnCluster {
  readonly ns: string;
  readonly name: string;
  readonly rc: RayCluster;
}

/**
 * The Reconciler of an add-on controller: `reconcile` runs on the request's cluster (see clusterToReconcile); a
 * cluster that is gone, being deleted or managed by another controller needs nothing.
 */
export function addOnReconciler<D extends ClusterAddOnDeps>(
  deps: D,
  reconcile: (deps: D, cluster: AddOnCluster, logger: Logger) => Promise<ReconcileResult>,
): Reconciler {
  return (req, ctx) => {
    const { ns, rc } = clusterToReconcile(deps.clusters, req);
    return rc ? reconcile(deps, { ns, name: req.name, rc }, ctx.logger) : {};
  };
}

/**
 * Runs each write of an add-on reconcile in turn, a failed one not stopping the rest (each returns its failure
 * text, already recorded as an Event), then throws one `Failure` naming them all, so the request is retried.
 */
export async function applyEach<T>(
  items: Iterable<T>,
  apply: (item: T) => Promise<string | undefined>,
  Failure: new (message: string) => Error,
): Promise<void> {
  const failures: string[] = [];
  for (const item of items) {
    const failure = await apply(item);
    if (failure) failures.push(failure);
  }
  if (failures.length) throw new Failure(failures.join('; '));
}

/** A RayCluster as the subject of an Event (objects from a list carry no apiVersion and kind). */
export const rayClusterSubject = (rc: RayCluster): KubeObject => ({
  apiVersion: API_VERSION,
  kind: Kinds.RayCluster,
  ...rc,
});
