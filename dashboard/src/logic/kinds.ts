/** The ray.io kinds the dashboard shows, and the pure reading of their state from a Kubernetes object. */

export interface KubeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
}

/** A ray.io object as the API server returns it: only the fields the dashboard reads are typed. */
export interface RayObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
}

export const KINDS = ['rayclusters', 'rayjobs', 'rayservices', 'raycronjobs'] as const;
export type Plural = (typeof KINDS)[number];

export const KIND_NAMES: Readonly<Record<Plural, string>> = {
  rayclusters: 'RayCluster',
  rayjobs: 'RayJob',
  rayservices: 'RayService',
  raycronjobs: 'RayCronJob',
};

export function isPlural(s: string): s is Plural {
  return (KINDS as readonly string[]).includes(s);
}

/** How a state reads at a glance: ok (green), progress (blue), warning (amber), error (red), idle (grey). */
export type Tone = 'ok' | 'progress' | 'warning' | 'error' | 'idle';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function conditions(obj: RayObject): readonly KubeCondition[] {
  const c = obj.status?.conditions;
  return Array.isArray(c) ? (c as KubeCondition[]) : [];
}

function condition(obj: RayObject, type: string): KubeCondition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

/**
 * The one word the lists show for an object: RayCluster `status.state` (ready, suspended, failed; empty while
 * provisioning), RayJob `status.jobDeploymentStatus` ("" is New), RayService the `Ready` condition (or the
 * deprecated `serviceStatus`), RayCronJob `status.scheduleStatus` and `spec.suspend`. Deleting wins over all.
 */
export function stateOf(plural: Plural, obj: RayObject): string {
  if (obj.metadata.deletionTimestamp) return 'Deleting';
  const s = obj.status ?? {};
  switch (plural) {
    case 'rayclusters': {
      const state = str(s.state);
      if (state) return state;
      if (condition(obj, 'RayClusterSuspending')?.status === 'True') return 'suspending';
      return 'provisioning';
    }
    case 'rayjobs':
      return str(s.jobDeploymentStatus) || 'New';
    case 'rayservices': {
      const ready = condition(obj, 'Ready');
      if (condition(obj, 'UpgradeInProgress')?.status === 'True') return 'Upgrading';
      if (ready) return ready.status === 'True' ? 'Ready' : 'NotReady';
      return str(s.serviceStatus) || 'NotReady';
    }
    case 'raycronjobs':
      if (obj.spec?.suspend === true) return 'Suspended';
      return str(s.scheduleStatus) || 'new';
  }
}

const TONES: Readonly<Record<string, Tone>> = {
  ready: 'ok',
  Ready: 'ok',
  Running: 'ok',
  Complete: 'ok',
  scheduled: 'ok',
  provisioning: 'progress',
  Initializing: 'progress',
  New: 'progress',
  new: 'progress',
  Waiting: 'progress',
  Upgrading: 'progress',
  Retrying: 'warning',
  suspending: 'warning',
  Suspending: 'warning',
  NotReady: 'warning',
  Deleting: 'warning',
  failed: 'error',
  Failed: 'error',
  ValidationFailed: 'error',
  validationFailed: 'error',
  suspended: 'idle',
  Suspended: 'idle',
};

export function toneOf(state: string): Tone {
  return TONES[state] ?? 'idle';
}

/** The status message a user should read: `status.message`, `status.reason`, or the first false condition's. */
export function statusMessage(obj: RayObject): string {
  const s = obj.status ?? {};
  const direct = str(s.message) || str(s.reason);
  if (direct) return direct;
  const bad = conditions(obj).find((c) => c.status === 'False' && c.message);
  return bad?.message ?? '';
}

/** The RayCluster a detail page shows pods of: the cluster itself, a RayJob's or a RayService's active one. */
export function clusterNameOf(plural: Plural, obj: RayObject): string | undefined {
  const s = obj.status ?? {};
  if (plural === 'rayclusters') return obj.metadata.name;
  if (plural === 'rayjobs') return str(s.rayClusterName) || undefined;
  if (plural === 'rayservices') {
    const active = s.activeServiceStatus as { rayClusterName?: string } | undefined;
    return str(active?.rayClusterName) || undefined;
  }
  return undefined;
}

/** The head Service of a RayCluster (`status.head.serviceName`, else KubeRay's `<name>-head-svc`). */
export function headServiceOf(cluster: RayObject): string {
  const head = cluster.status?.head as { serviceName?: string } | undefined;
  return str(head?.serviceName) || `${cluster.metadata.name}-head-svc`;
}

/** The Ray dashboard of a RayCluster through the Kubernetes Service proxy (served by our API server). */
export function rayDashboardPath(namespace: string, headService: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(headService)}:dashboard/proxy/`;
}
