import type { EndpointSlice, KubeObject, Pod, RayCluster, RayService, Service } from '../../api/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';

export type { EndpointSlice, Pod } from '../../api/index.ts';

/**
 * What the RayService controller reads. The default reads the API server; the composition root can pass a
 * reader over the shared informer caches instead (reads from the cache, writes to the server).
 */
export interface RayServiceReader {
  getRayService(namespace: string, name: string): Promise<RayService | undefined>;
  getRayCluster(namespace: string, name: string): Promise<RayCluster | undefined>;
  listRayClusters(namespace: string, labels: Record<string, string>): Promise<RayCluster[]>;
  getService(namespace: string, name: string): Promise<Service | undefined>;
  listServices(namespace: string, labels: Record<string, string>): Promise<Service[]>;
  listPods(namespace: string, labels: Record<string, string>): Promise<Pod[]>;
  listEndpointSlices(namespace: string, labels: Record<string, string>): Promise<EndpointSlice[]>;
}

export function serverReader(kube: KubeClient): RayServiceReader {
  const list = async <T extends KubeObject>(
    r: (typeof Resources)[keyof typeof Resources],
    namespace: string,
    labelSelector: Record<string, string>,
  ) => (await kube.list<T>(r, { namespace, labelSelector })).items;
  return {
    getRayService: (ns, name) =>
      kube.getOrUndefined(Resources.rayServices, ns, name) as Promise<RayService | undefined>,
    getRayCluster: (ns, name) =>
      kube.getOrUndefined(Resources.rayClusters, ns, name) as Promise<RayCluster | undefined>,
    listRayClusters: (ns, labels) => list<RayCluster>(Resources.rayClusters, ns, labels),
    getService: (ns, name) =>
      kube.getOrUndefined(Resources.services, ns, name) as Promise<Service | undefined>,
    listServices: (ns, labels) => list<Service>(Resources.services, ns, labels),
    listPods: (ns, labels) => list<Pod>(Resources.pods, ns, labels),
    listEndpointSlices: (ns, labels) => list<EndpointSlice>(Resources.endpointSlices, ns, labels),
  };
}

/** Counts the distinct Ready pods (by targetRef uid) in the EndpointSlices of a Service. */
export function countReadyEndpoints(slices: readonly EndpointSlice[]): number {
  const uids = new Set<string>();
  for (const s of slices)
    for (const e of s.endpoints ?? []) if (e.conditions?.ready && e.targetRef?.uid) uids.add(e.targetRef.uid);
  return uids.size;
}
