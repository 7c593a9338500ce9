/**
 * RBAC granted versus RBAC used, shared by test/chaos/rbac.test.ts (one workload, the operator as the chart's
 * ServiceAccount) and scripts/check-rbac-audit.ts (every operator the integration and e2e suites start): what the
 * kuberay-operator chart grants (rendered by the real helm), and what an operator used (read from the API
 * server's audit log, level Metadata).
 */
import type { RayCluster } from '../../src/api/index.ts';
import { buildRole } from '../../src/builders/raycluster/objects.ts';
import { operatorInstanceOf } from '../../src/k8s/user-agent.ts';
import { chartPath, type K8sObject, render } from '../integration/helm/helm.ts';

export interface Rule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * The rules of the Role the operator creates for a RayCluster's autoscaler (buildRole; the same for every
 * cluster). Kubernetes lets the operator create it only while it holds every one of them itself.
 */
export const autoscalerRoleRules: readonly Rule[] = (buildRole({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name: 'c', namespace: 'n', uid: 'u' },
  spec: { headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [] } } } },
} as unknown as RayCluster).rules ?? []) as Rule[];

/** `<verb> <group>/<resource>[/<subresource>]`, the group empty for the core group. */
export const key = (verb: string, group: string, resource: string) => `${verb} ${group}/${resource}`;

/** Every key a rule list grants; '*' is kept as is and matched by `granted`. */
export function expand(rules: readonly Rule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules)
    for (const g of r.apiGroups ?? [''])
      for (const res of r.resources ?? []) for (const v of r.verbs) out.add(key(v, g, res));
  return out;
}

export function granted(set: ReadonlySet<string>, verb: string, group: string, resource: string): boolean {
  for (const v of [verb, '*'])
    for (const g of [group, '*']) for (const r of [resource, '*']) if (set.has(key(v, g, r))) return true;
  return false;
}

/** What the chart gives its ServiceAccount. */
export interface ChartRbac {
  /** The ServiceAccount, ClusterRoles, Roles and bindings the chart renders (to apply them). */
  readonly objects: K8sObject[];
  readonly serviceAccount: string;
  /** `system:serviceaccount:<namespace>:<name>`. */
  readonly user: string;
  readonly roles: K8sObject[];
  /** Granted everywhere (ClusterRoles bound by ClusterRoleBindings). */
  readonly cluster: Set<string>;
  /** Granted in one namespace only (Roles, or ClusterRoles bound by RoleBindings), by namespace. */
  readonly namespaced: Map<string, Set<string>>;
  /** The union of both: every key the ServiceAccount holds somewhere. */
  readonly all: Set<string>;
}

const rbacKinds = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];

/** Renders charts/kuberay-operator with the real helm and collects what its bindings grant its ServiceAccount. */
export async function chartRbac(o: {
  release: string;
  namespace: string;
  values?: Record<string, unknown>;
}): Promise<ChartRbac> {
  const rendered = await render(chartPath('kuberay-operator'), o);
  const objects = rendered.filter((x) => rbacKinds.includes(x.kind));
  const sa = objects.find((x) => x.kind === 'ServiceAccount');
  if (!sa) throw new Error('the kuberay-operator chart renders no ServiceAccount');
  const serviceAccount = sa.metadata.name;
  const bound = (b: K8sObject) =>
    (b.subjects ?? []).some(
      (s: { kind: string; name: string; namespace?: string }) =>
        s.kind === 'ServiceAccount' &&
        s.name === serviceAccount &&
        (s.namespace ?? o.namespace) === o.namespace,
    );
  const cluster = new Set<string>();
  const namespaced = new Map<string, Set<string>>();
  const roles: K8sObject[] = [];
  for (const b of objects.filter((x) => x.kind.endsWith('Binding') && bound(x))) {
    const role = objects.find((x) => x.kind === b.roleRef.kind && x.metadata.name === b.roleRef.name);
    if (!role)
      throw new Error(
        `${b.kind} ${b.metadata.name} refers to ${b.roleRef.kind} ${b.roleRef.name}, not rendered`,
      );
    roles.push(role);
    const keys = expand((role.rules ?? []) as Rule[]);
    if (b.kind === 'ClusterRoleBinding') for (const k of keys) cluster.add(k);
    else {
      const ns = b.metadata.namespace ?? o.namespace;
      const set = namespaced.get(ns) ?? new Set<string>();
      for (const k of keys) set.add(k);
      namespaced.set(ns, set);
    }
  }
  const all = new Set([...cluster, ...[...namespaced.values()].flatMap((s) => [...s])]);
  return {
    objects,
    serviceAccount,
    user: `system:serviceaccount:${o.namespace}:${serviceAccount}`,
    roles,
    cluster,
    namespaced,
    all,
  };
}

/**
 * Whether the chart allows a request. A namespaced request is allowed by a cluster-wide grant or by a grant in
 * its namespace; a cluster-scoped one (a cluster-scoped kind, or a list/watch across all namespaces) needs a
 * cluster-wide grant. `anyNamespace` counts a namespaced grant for every namespace: the suites use namespaces of
 * their own, where a single-namespace install would have its Role.
 */
export function allows(
  rbac: Pick<ChartRbac, 'cluster' | 'namespaced'>,
  u: { verb: string; group: string; resource: string; namespace?: string },
  anyNamespace = false,
): boolean {
  if (granted(rbac.cluster, u.verb, u.group, u.resource)) return true;
  if (!u.namespace) return false;
  for (const [ns, set] of rbac.namespaced)
    if ((anyNamespace || ns === u.namespace) && granted(set, u.verb, u.group, u.resource)) return true;
  return false;
}

/** One audit event (level Metadata), the fields read here. */
export interface AuditEvent {
  readonly auditID?: string;
  readonly stage: string;
  readonly verb: string;
  readonly user?: { username?: string };
  readonly userAgent?: string;
  readonly objectRef?: { apiGroup?: string; resource?: string; subresource?: string; namespace?: string };
  readonly responseStatus?: { code?: number };
  /** `authorization.k8s.io/decision`: `allow` or `forbid` (RBAC's answer, apart from admission's). */
  readonly annotations?: Record<string, string>;
  readonly requestURI: string;
}

/** A request an operator made on a resource. */
export interface Use {
  readonly verb: string;
  readonly group: string;
  /** `resource` or `resource/subresource`. */
  readonly resource: string;
  readonly namespace?: string;
  readonly code?: number;
  /** Refused by the authorizer (RBAC), not by admission (a 403 for a namespace being deleted is admission's). */
  readonly denied: boolean;
  readonly requestURI: string;
}

export const useOf = (e: AuditEvent): Use | undefined => {
  const r = e.objectRef;
  if (!r?.resource) return undefined; // discovery and other non-resource URLs
  return {
    verb: e.verb,
    group: r.apiGroup ?? '',
    resource: r.subresource ? `${r.resource}/${r.subresource}` : r.resource,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    ...(e.responseStatus?.code !== undefined ? { code: e.responseStatus.code } : {}),
    denied: e.annotations?.['authorization.k8s.io/decision'] === 'forbid',
    requestURI: e.requestURI,
  };
};

/**
 * Which operator made a request, or undefined when no operator did: an operator the tests started (its user
 * agent names its instance, see src/k8s/user-agent.ts), or an operator running in a pod as a ServiceAccount
 * (installed by the chart; its user agent is the plain `kuberay-operator/<version>`). Requests of the test code,
 * of the control plane's own components and of KubeRay's operator (compat tests) are not an operator's here.
 */
export function operatorOf(e: AuditEvent): string | undefined {
  const instance = operatorInstanceOf(e.userAgent);
  if (instance) return instance;
  const user = e.user?.username ?? '';
  if (user.startsWith('system:serviceaccount:') && /^kuberay-operator\/\S+$/.test(e.userAgent ?? ''))
    return `in-cluster ${user}`;
  return undefined;
}

/**
 * Counts every request once: the audit log has a ResponseComplete event per request (RequestReceived is omitted
 * by the policy), and a watch has a ResponseStarted event before it, or only that one when the API server
 * stopped while it was open. `started` holds the IDs of the watches counted at ResponseStarted, until their
 * ResponseComplete (so it stays as small as the number of open watches). False for an event not to count.
 */
export function countOnce(started: Set<string>, e: AuditEvent): boolean {
  if (e.stage === 'ResponseStarted') {
    if (e.auditID) started.add(e.auditID);
    return true;
  }
  if (e.stage !== 'ResponseComplete') return false;
  return !(e.auditID && started.delete(e.auditID));
}

/** One (verb, group, resource, scope) used: how often, one request URI, a namespace, which test files. */
export interface Tally {
  count: number;
  example: string;
  namespace?: string;
  files: Set<string>;
}

/** What the operators in a set of audit logs used; `add` every event of one log, `endLog` after each log. */
export class UsageTally {
  /** By `<verb> <group>/<resource> namespaced|cluster`. */
  readonly used = new Map<string, Tally>();
  /** Requests by the test file that started the operator (an instance's name up to its '#'). */
  readonly byFile = new Map<string, number>();
  /** Requests RBAC refused (the first 50). */
  readonly forbidden: string[] = [];
  requests = 0;
  #started = new Set<string>();

  /** Counts the event if an operator's request not counted yet; true when it did. */
  add(e: AuditEvent): boolean {
    const op = operatorOf(e);
    if (!op || !countOnce(this.#started, e)) return false;
    this.requests++;
    const file = op.split('#')[0] ?? op;
    this.byFile.set(file, (this.byFile.get(file) ?? 0) + 1);
    const u = useOf(e);
    if (!u) return true;
    const k = `${key(u.verb, u.group, u.resource)} ${u.namespace ? 'namespaced' : 'cluster'}`;
    const t = this.used.get(k) ?? { count: 0, example: u.requestURI, files: new Set<string>() };
    t.count++;
    t.files.add(file);
    if (u.namespace) t.namespace = u.namespace;
    this.used.set(k, t);
    if (u.denied && this.forbidden.length < 50) this.forbidden.push(`${op}: ${u.verb} ${u.requestURI}`);
    return true;
  }

  /** Audit IDs are per API server: forget the open watches of the log just read. */
  endLog(): void {
    this.#started = new Set();
  }

  /** The `<verb> <group>/<resource>` used, whatever the scope. */
  usedKeys(): Set<string> {
    return new Set([...this.used.keys()].map((k) => k.split(' ').slice(0, 2).join(' ')));
  }

  /** Every use the chart does not allow, described (count, an example, the files). */
  ungranted(rbac: Pick<ChartRbac, 'cluster' | 'namespaced'>): string[] {
    const out: string[] = [];
    for (const [k, t] of this.used) {
      const [verb = '', gr = '', scope] = k.split(' ');
      const slash = gr.indexOf('/');
      const u = { verb, group: gr.slice(0, slash), resource: gr.slice(slash + 1) };
      const at = scope === 'namespaced' && t.namespace ? { namespace: t.namespace } : {};
      if (!allows(rbac, { ...u, ...at }, true))
        out.push(`${k} x${t.count} (e.g. ${t.example}; by ${[...t.files].join(', ')})`);
    }
    return out.sort();
  }
}

/**
 * Values under which the chart grants more: each optional scheduler's PodGroups (`batchScheduler.name`; the
 * KubernetesWAS gate excludes it, so it is a rendering of its own). Tests configure operators with these
 * schedulers; the check compares with the chart as a user who runs them would install it.
 */
export const chartVariants: readonly Record<string, unknown>[] = [
  {},
  { batchScheduler: { name: 'volcano' } },
  { batchScheduler: { name: 'scheduler-plugins' } },
  { featureGates: [{ name: 'KubernetesWAS', enabled: true }] },
];

/** The union of what the chart grants its ServiceAccount over `chartVariants` (the default first). */
export async function chartRbacAllVariants(o: { release: string; namespace: string }): Promise<ChartRbac> {
  const [first, ...rest] = await Promise.all(chartVariants.map((values) => chartRbac({ ...o, values })));
  if (!first) throw new Error('no chart variant');
  for (const r of rest) {
    for (const k of r.cluster) first.cluster.add(k);
    for (const k of r.all) first.all.add(k);
    for (const [ns, set] of r.namespaced) {
      const into = first.namespaced.get(ns) ?? new Set<string>();
      for (const k of set) into.add(k);
      first.namespaced.set(ns, into);
    }
  }
  return first;
}
