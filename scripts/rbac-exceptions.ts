/**
 * The grants of charts/kuberay-operator that no request of the test suites shows, each with its reason
 * (scripts/rbac-audit.ts reports a grant never used as explained when it is here; docs/reliability.md has the
 * same list). The chart grants only the verbs this operator's code sends, and these few it needs without
 * sending them (or sends only on a path no test control plane can serve). KubeRay v1.5.0's rules are kept
 * below as data, to report what this chart leaves out of them.
 */
import { autoscalerRoleRules, expand, type Rule } from '../test/support/rbac.ts';

const reasons = new Map<string, string>();
const explain = (rules: readonly Rule[], reason: string) => {
  for (const k of expand(rules)) reasons.set(k, reason);
};

// Escalation prevention: the rules of the autoscaler Role, read from its builder so the two cannot drift.
explain(
  autoscalerRoleRules,
  'the autoscaler Role the operator creates for a RayCluster with in-tree autoscaling (buildRole, ' +
    'src/builders/raycluster/objects.ts) grants it, and Kubernetes RBAC refuses to create a Role that grants ' +
    'more than its creator holds (escalation prevention): the operator must hold it whether it sends it or not ' +
    '(test/chaos/rbac.test.ts creates that Role as the chart ServiceAccount)',
);

explain(
  [
    {
      apiGroups: ['ray.io'],
      resources: [
        'rayclusters/finalizers',
        'raycronjobs/finalizers',
        'rayjobs/finalizers',
        'rayservices/finalizers',
      ],
      verbs: ['update'],
    },
  ],
  'what the operator creates names its owner with blockOwnerDeletion (controllerOwnerReference, ' +
    "src/api/owner-reference.ts: a RayCluster's pods, Services and Secrets; a RayJob's RayCluster, Job and " +
    "Service; a RayService's RayClusters and Services; a RayCronJob's RayJobs); with the " +
    'OwnerReferencesPermissionEnforcement admission plugin (OpenShift enables it) that needs update on the ' +
    "owner's finalizers subresource. It is an admission check, not a request, so the audit never shows it; " +
    'test/chaos/rbac.test.ts runs with that plugin on (and fails without this grant)',
);

explain(
  [
    {
      apiGroups: ['scheduling.volcano.sh', 'scheduling.x-k8s.io'],
      resources: ['podgroups'],
      verbs: ['create'],
    },
  ],
  'the operator writes PodGroups by server-side apply (reconcileBatchScheduling, ' +
    'src/controllers/raycluster/children.ts; applyPodGroup, src/controllers/rayjob/actions.ts): the request ' +
    "is a patch, but an apply that creates the object is authorized as a create as well (the API server's " +
    'patch handler), which the audit log does not record as a request of its own',
);

explain(
  [
    { apiGroups: ['scheduling.k8s.io'], resources: ['workloads'], verbs: ['create', 'delete', 'get'] },
    {
      apiGroups: ['scheduling.k8s.io'],
      resources: ['podgroups'],
      verbs: ['create', 'delete', 'get', 'update'],
    },
  ],
  'sent by the KubernetesWAS gate (reconcileKubernetesWas, src/controllers/raycluster/kubernetes-was.ts), ' +
    'which needs the scheduling.k8s.io/v1alpha2 API (Kubernetes 1.36); the test control planes run Kubernetes ' +
    '1.34, which does not serve it, and a stand-in CRD in the built-in scheduling.k8s.io group is accepted but ' +
    'never served (checked), so no suite can take this path; the verbs are the ones the code sends',
);

/** The reason a grant may go unused, or undefined when it should be used (or dropped from the chart). */
export function unusedReason(grant: string): string | undefined {
  return reasons.get(grant);
}

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
  // With `batchScheduler` set (volcano, or `enabled`; scheduler-plugins).
  {
    apiGroups: ['scheduling.volcano.sh'],
    resources: ['podgroups'],
    verbs: ['create', 'delete', 'get', 'list', 'update', 'watch'],
  },
  { apiGroups: ['scheduling.x-k8s.io'], resources: ['podgroups'], verbs: ['create', 'get', 'list', 'watch'] },
];

/**
 * What KubeRay v1.5.0 grants its operator (with any batch scheduler) that `granted` (the chart's grants) does
 * not: the verbs this operator never sends, left out for least privilege (docs/helm.md lists them).
 */
export function droppedFromKubeRay(granted: ReadonlySet<string>): string[] {
  return [...expand(kuberayV150)].filter((k) => !granted.has(k)).sort();
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
