/**
 * Grants of charts/kuberay-operator that the test suites need not use, each with its reason
 * (scripts/rbac-audit.ts reports a grant never used as explained when it is here; docs/reliability.md has the
 * same list). Everything KubeRay v1.5.0 grants its operator stays (wire compatibility: a cluster set up for
 * KubeRay's operator, or tooling that checks its permissions, sees the same); beyond it the chart grants only
 * what this operator uses, and the few exceptions below.
 */
import { expand, key, type Rule } from '../test/support/rbac.ts';

/** KubeRay v1.5.0's operator ClusterRole and leader-election Role (ray-operator/config/rbac), as rules. */
const kuberayV150: readonly Rule[] = [
  { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: [''],
    resources: ['events', 'pods/status', 'services'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  {
    apiGroups: [''],
    resources: ['pods'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { apiGroups: [''], resources: ['pods/proxy', 'services/status'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: [''], resources: ['pods/resize'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['services/proxy'], verbs: ['create', 'get', 'patch', 'update'] },
  {
    apiGroups: ['batch'],
    resources: ['jobs'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'list', 'update'] },
  {
    apiGroups: ['extensions', 'networking.k8s.io'],
    resources: ['ingresses'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  {
    apiGroups: ['gateway.networking.k8s.io'],
    resources: ['gateways', 'httproutes'],
    verbs: ['create', 'get', 'list', 'update', 'watch'],
  },
  { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: ['ray.io'],
    resources: ['rayclusters', 'rayjobs', 'rayservices'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  {
    apiGroups: ['ray.io'],
    resources: ['rayclusters/finalizers', 'rayjobs/finalizers', 'rayservices/finalizers'],
    verbs: ['update'],
  },
  {
    apiGroups: ['ray.io'],
    resources: ['rayclusters/status', 'rayjobs/status', 'rayservices/status'],
    verbs: ['get', 'patch', 'update'],
  },
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['rolebindings'],
    verbs: ['create', 'delete', 'get', 'list', 'watch'],
  },
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles'],
    verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'],
  },
  {
    apiGroups: ['route.openshift.io'],
    resources: ['routes'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  // The leader-election Role.
  {
    apiGroups: [''],
    resources: ['configmaps'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
];

/**
 * KubeRay v1.5.0's chart adds these with `batchScheduler` set (volcano, or `enabled`; scheduler-plugins). Our
 * operator only applies (patch), reads and updates Volcano PodGroups and only applies scheduler-plugins ones; the
 * rest stays for wire compatibility with KubeRay's chart.
 */
const kuberayV150Schedulers: readonly Rule[] = [
  {
    apiGroups: ['scheduling.volcano.sh'],
    resources: ['podgroups'],
    verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'],
  },
  { apiGroups: ['scheduling.x-k8s.io'], resources: ['podgroups'], verbs: ['create', 'get', 'list', 'watch'] },
];

/** Every `<verb> <group>/<resource>` KubeRay v1.5.0 grants its operator (with any batch scheduler). */
export const kuberayV150Grants: ReadonlySet<string> = expand([...kuberayV150, ...kuberayV150Schedulers]);

/** Beyond KubeRay v1.5.0's grants: the ones this operator needs where the suites cannot show it. */
const own: Record<string, string> = {
  [key('update', 'ray.io', 'raycronjobs/finalizers')]:
    'the RayJobs a RayCronJob creates name it as owner with blockOwnerDeletion; a cluster with the ' +
    'OwnerReferencesPermissionEnforcement admission plugin (OpenShift) then checks update on the finalizers ' +
    'subresource. The test control planes do not enable that plugin, so the audit never shows it (KubeRay grants ' +
    'the same for its three kinds)',
};

// The KubernetesWAS gate's Workload and PodGroup (reconcileKubernetesWas): the verbs that code uses.
const wasReason =
  'the KubernetesWAS gate needs the scheduling.k8s.io/v1alpha2 API (Kubernetes 1.36); the test control planes ' +
  'run Kubernetes 1.34, which does not serve it, and a stand-in CRD in the built-in scheduling.k8s.io group is ' +
  'accepted but never served (checked), so no suite can take this path; the verb is the one the code uses';
for (const k of expand([
  { apiGroups: ['scheduling.k8s.io'], resources: ['workloads'], verbs: ['create', 'delete', 'get'] },
  {
    apiGroups: ['scheduling.k8s.io'],
    resources: ['podgroups'],
    verbs: ['create', 'delete', 'get', 'update'],
  },
]))
  own[k] = wasReason;

const kuberayReason =
  'granted by KubeRay v1.5.0 (kept for wire compatibility); this operator does not use it, or only on paths ' +
  'the suites do not take';

/** The reason a grant may go unused, or undefined when it should be used (or dropped from the chart). */
export function unusedReason(grant: string): string | undefined {
  return own[grant] ?? (kuberayV150Grants.has(grant) ? kuberayReason : undefined);
}

/** Every layer whose operators the run-wide audit reads (scripts/run-tests.ts). */
export const auditedLayers: readonly string[] = ['integration', 'chaos', 'fuzz', 'compat', 'e2e'];

/**
 * Whether the unexplained unused grants fail the check: only when every audited layer ran (a grant may be used
 * only by a layer that did not run). `layersRun` is the runner's comma-separated list.
 */
export function unusedFails(unexplained: readonly string[], layersRun: string): boolean {
  const run = new Set(layersRun.split(',').map((l) => l.trim()));
  return unexplained.length > 0 && auditedLayers.every((l) => run.has(l));
}
