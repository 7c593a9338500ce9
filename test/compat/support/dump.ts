import { apiVersionOf, Resources, type ResourceType } from '../../../src/k8s/resources.ts';
import type { RestClient } from '../../../src/k8s/rest.ts';

/** An object as the API server returns it, with the fields the suite reads. */
export interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    ownerReferences?: { kind: string; name: string; uid: string }[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/**
 * The kinds dumped: every kind either operator creates for a RayCluster, RayJob or RayService (pods,
 * services, the submitter Job, RBAC for the autoscaler, ingresses, network policies, the RayClusters that
 * RayJobs and RayServices create) plus what a sample brings (ConfigMaps, Secrets, PVCs). Each sample has a
 * namespace of its own, so every object of these kinds in it belongs to the sample's CR, directly or through
 * ownerReferences (pods of the submitter Job), or came with the sample manifest.
 */
export const dumpedKinds: readonly ResourceType[] = [
  Resources.rayClusters,
  Resources.rayJobs,
  Resources.rayServices,
  Resources.pods,
  Resources.services,
  Resources.serviceAccounts,
  Resources.roles,
  Resources.roleBindings,
  Resources.configMaps,
  Resources.secrets,
  Resources.jobs,
  Resources.ingresses,
  Resources.networkPolicies,
  Resources.persistentVolumeClaims,
];

/** Objects every namespace gets from Kubernetes itself, whoever runs in it. */
const builtIn = (kind: string, name: string) =>
  (kind === 'ConfigMap' && name === 'kube-root-ca.crt') || (kind === 'ServiceAccount' && name === 'default');

export interface NamespaceDump {
  readonly objects: Obj[];
  readonly events: Obj[];
}

const listPath = (r: ResourceType) => `${r.group ? `/apis/${r.group}` : '/api'}/${r.version}/${r.plural}`;

/**
 * One cluster-wide list per kind (a handful of requests however many samples run), split by namespace.
 * Namespaces not asked for are dropped.
 */
export async function dumpNamespaces(
  client: RestClient,
  namespaces: readonly string[],
): Promise<Map<string, NamespaceDump>> {
  const out = new Map<string, NamespaceDump>(namespaces.map((ns) => [ns, { objects: [], events: [] }]));
  const lists = await Promise.all(
    [...dumpedKinds, Resources.events].map(async (r) => {
      const list = await client.request<{ items: Obj[] }>('GET', listPath(r));
      return { r, items: list.items };
    }),
  );
  for (const { r, items } of lists) {
    for (const item of items) {
      const d = out.get(item.metadata.namespace ?? '');
      if (!d) continue;
      const obj = { ...item, apiVersion: apiVersionOf(r), kind: r.kind };
      if (r === Resources.events) d.events.push(obj);
      else if (!builtIn(r.kind, item.metadata.name)) d.objects.push(obj);
    }
  }
  return out;
}
