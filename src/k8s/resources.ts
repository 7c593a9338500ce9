import { KuberayError } from '../lib/errors.ts';

/** Where a kind lives in the API: enough to build its URLs. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export const apiVersionOf = (r: ResourceType): string => (r.group ? `${r.group}/${r.version}` : r.version);

const core = (plural: string, kind: string, namespaced = true): ResourceType => ({
  group: '',
  version: 'v1',
  plural,
  kind,
  namespaced,
});
const of = (
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced = true,
): ResourceType => ({
  group,
  version,
  plural,
  kind,
  namespaced,
});

/** The kinds the operator reads or writes. Optional ones (Route, HTTPRoute, PodGroup) need discovery first. */
export const Resources = {
  namespaces: core('namespaces', 'Namespace', false),
  nodes: core('nodes', 'Node', false),
  pods: core('pods', 'Pod'),
  services: core('services', 'Service'),
  serviceAccounts: core('serviceaccounts', 'ServiceAccount'),
  secrets: core('secrets', 'Secret'),
  configMaps: core('configmaps', 'ConfigMap'),
  events: core('events', 'Event'),
  endpoints: core('endpoints', 'Endpoints'),
  persistentVolumeClaims: core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  endpointSlices: of('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice'),
  roles: of('rbac.authorization.k8s.io', 'v1', 'roles', 'Role'),
  roleBindings: of('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding'),
  jobs: of('batch', 'v1', 'jobs', 'Job'),
  ingresses: of('networking.k8s.io', 'v1', 'ingresses', 'Ingress'),
  ingressClasses: of('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  networkPolicies: of('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy'),
  leases: of('coordination.k8s.io', 'v1', 'leases', 'Lease'),
  customResourceDefinitions: of(
    'apiextensions.k8s.io',
    'v1',
    'customresourcedefinitions',
    'CustomResourceDefinition',
    false,
  ),
  rayClusters: of('ray.io', 'v1', 'rayclusters', 'RayCluster'),
  rayJobs: of('ray.io', 'v1', 'rayjobs', 'RayJob'),
  rayServices: of('ray.io', 'v1', 'rayservices', 'RayService'),
  rayCronJobs: of('ray.io', 'v1', 'raycronjobs', 'RayCronJob'),
  volcanoPodGroups: of('scheduling.volcano.sh', 'v1beta1', 'podgroups', 'PodGroup'),
  httpRoutes: of('gateway.networking.k8s.io', 'v1', 'httproutes', 'HTTPRoute'),
  gateways: of('gateway.networking.k8s.io', 'v1', 'gateways', 'Gateway'),
  openShiftRoutes: of('route.openshift.io', 'v1', 'routes', 'Route'),
} as const satisfies Record<string, ResourceType>;

class UnknownKindError extends KuberayError {}

const byKind = new Map<string, ResourceType>();
const kindKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

/** Adds a kind to the registry used by `resourceFor` (e.g. another scheduler's PodGroup). Returns it. */
export function registerResource(r: ResourceType): ResourceType {
  byKind.set(kindKey(apiVersionOf(r), r.kind), r);
  return r;
}
for (const r of Object.values(Resources)) registerResource(r);

/** The registered resource of an apiVersion + kind (as found in an object or owner reference). */
export function resourceFor(apiVersion: string, kind: string): ResourceType {
  const r = byKind.get(kindKey(apiVersion, kind));
  if (!r) throw new UnknownKindError(`no resource registered for ${apiVersion} ${kind}`);
  return r;
}

/** URL path of a collection, an object or a subresource. Namespace is ignored for cluster-scoped kinds. */
export function resourcePath(
  r: ResourceType,
  at: { namespace?: string | undefined; name?: string | undefined; subresource?: string | undefined } = {},
): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && !at.namespace && at.name)
    throw new UnknownKindError(`${r.kind} ${at.name}: a namespace is required`);
  const ns = r.namespaced && at.namespace ? `/namespaces/${encodeURIComponent(at.namespace)}` : '';
  const name = at.name ? `/${encodeURIComponent(at.name)}` : '';
  const sub = at.name && at.subresource ? `/${at.subresource}` : '';
  return `${base}${ns}/${r.plural}${name}${sub}`;
}
