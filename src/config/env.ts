import { parseGoDuration } from '../api/validation/duration.ts';
import { ConfigError } from './feature-gates.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The operator's environment variables, parsed. */
export interface OperatorEnv {
  /** ENABLE_WEBHOOKS (default false). */
  readonly enableWebhooks: boolean;
  /** ENABLE_INIT_CONTAINER_INJECTION (default true). */
  readonly enableInitContainerInjection: boolean;
  /** ENABLE_PROBES_INJECTION (default true). */
  readonly enableProbesInjection: boolean;
  /** ENABLE_RAY_HEAD_CLUSTER_IP_SERVICE (default false). */
  readonly enableRayHeadClusterIPService: boolean;
  /** CLUSTER_DOMAIN (default cluster.local). */
  readonly clusterDomain: string;
  /** USE_INGRESS_ON_OPENSHIFT (default false). */
  readonly useIngressOnOpenShift: boolean;
  /** RAYCLUSTER_DEFAULT_REQUEUE_SECONDS_ENV (default 300). */
  readonly rayClusterDefaultRequeueSeconds: number;
  /** ENABLE_GCS_FT_REDIS_CLEANUP (default true). */
  readonly enableGcsFtRedisCleanup: boolean;
  /** ENABLE_ZERO_DOWNTIME (default true). */
  readonly enableZeroDowntime: boolean;
  /** DELETE_RAYJOB_CR_AFTER_JOB_FINISHES (default false). */
  readonly deleteRayJobCRAfterJobFinishes: boolean;
  /** ENABLE_DETERMINISTIC_HEAD_POD_NAME (default false). */
  readonly enableDeterministicHeadPodName: boolean;
  /** ENABLE_LOGIN_SHELL (default false). */
  readonly enableLoginShell: boolean;
  /** ENABLE_RANDOM_POD_DELETE (default false). */
  readonly enableRandomPodDelete: boolean;
  /** RAYJOB_DEPLOYMENT_STATUS_TRANSITION_GRACE_PERIOD_SECONDS (default 300). */
  readonly rayJobDeploymentStatusTransitionGracePeriodSeconds: number;
  /** RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS (default 300). */
  readonly rayJobStatusCheckTimeoutSeconds: number;
}

/** Leader-election timings: not configurable in KubeRay (controller-runtime defaults); ours via env. */
export interface LeaderElectionTimings {
  /** KUBERAY_LEADER_ELECTION_LEASE_DURATION (Go duration, default 15s). */
  readonly leaseDurationMs: number;
  /** KUBERAY_LEADER_ELECTION_RENEW_DEADLINE (default 10s). */
  readonly renewDeadlineMs: number;
  /** KUBERAY_LEADER_ELECTION_RETRY_PERIOD (default 2s). */
  readonly retryPeriodMs: number;
}

/**
 * A boolean env var as KubeRay reads it: a default-off switch turns on only with "true", a default-on switch
 * turns off only with "false" (case-insensitive); anything else keeps the default.
 */
function bool(env: Env, name: string, dflt: boolean): boolean {
  const v = env[name]?.trim().toLowerCase();
  return dflt ? v !== 'false' : v === 'true';
}

function seconds(env: Env, name: string, dflt: number, warnings: string[]): number {
  const v = env[name]?.trim();
  if (!v) return dflt;
  if (/^\d+$/.test(v)) return Number(v);
  warnings.push(`${name}=${JSON.stringify(v)} is not a whole number of seconds; using the default ${dflt}`);
  return dflt;
}

/** Parses a Go duration ("15s", "1m30s", "500ms") to milliseconds; a sign is refused (no negative periods). */
export function parseDuration(text: string, what: string): number {
  const ms = /^[+-]/.test(text) ? undefined : parseGoDuration(text);
  if (ms === undefined) throw new ConfigError(`${what}: invalid duration '${text}' (e.g. 15s, 500ms, 1m)`);
  return ms;
}

export function parseEnv(env: Env, warnings: string[] = []): OperatorEnv {
  return {
    enableWebhooks: bool(env, 'ENABLE_WEBHOOKS', false),
    enableInitContainerInjection: bool(env, 'ENABLE_INIT_CONTAINER_INJECTION', true),
    enableProbesInjection: bool(env, 'ENABLE_PROBES_INJECTION', true),
    enableRayHeadClusterIPService: bool(env, 'ENABLE_RAY_HEAD_CLUSTER_IP_SERVICE', false),
    clusterDomain: env.CLUSTER_DOMAIN?.trim() || 'cluster.local',
    useIngressOnOpenShift: bool(env, 'USE_INGRESS_ON_OPENSHIFT', false),
    rayClusterDefaultRequeueSeconds: seconds(env, 'RAYCLUSTER_DEFAULT_REQUEUE_SECONDS_ENV', 300, warnings),
    enableGcsFtRedisCleanup: bool(env, 'ENABLE_GCS_FT_REDIS_CLEANUP', true),
    enableZeroDowntime: bool(env, 'ENABLE_ZERO_DOWNTIME', true),
    deleteRayJobCRAfterJobFinishes: bool(env, 'DELETE_RAYJOB_CR_AFTER_JOB_FINISHES', false),
    enableDeterministicHeadPodName: bool(env, 'ENABLE_DETERMINISTIC_HEAD_POD_NAME', false),
    enableLoginShell: bool(env, 'ENABLE_LOGIN_SHELL', false),
    enableRandomPodDelete: bool(env, 'ENABLE_RANDOM_POD_DELETE', false),
    rayJobDeploymentStatusTransitionGracePeriodSeconds: seconds(
      env,
      'RAYJOB_DEPLOYMENT_STATUS_TRANSITION_GRACE_PERIOD_SECONDS',
      300,
      warnings,
    ),
    rayJobStatusCheckTimeoutSeconds: seconds(env, 'RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS', 300, warnings),
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The identity the operator campaigns for the Lease with. With KUBERAY_POD_UID set (the chart passes the pod's
 * `metadata.uid` through the downward API) it is `<hostname>_<pod UID>`: the same for every restart of the
 * operator's container in that pod, so a restarted operator takes back at once the Lease its previous process
 * held (the kubelet restarts a container only after it exited, so that process is gone), and different for any
 * other pod, which still waits for the Lease to expire. Without it, `<hostname>_<random UUID>` as
 * controller-runtime's: every new process waits for a crashed one's Lease to expire (15 s by default).
 */
export function leaderIdentity(env: Env, host: string, randomId: () => string): string {
  const uid = env.KUBERAY_POD_UID?.trim();
  if (!uid) return `${host}_${randomId()}`;
  if (!uuid.test(uid))
    throw new ConfigError(
      `KUBERAY_POD_UID: want the pod's UID (the downward API's metadata.uid), got ${JSON.stringify(uid)}`,
    );
  return `${host}_${uid.toLowerCase()}`;
}

/**
 * KUBERAY_TS_WATCH_IDLE_TIMEOUT (a Go duration; test-only): how long an informer's watch may stay silent before
 * it is dropped and reopened. Unset: undefined, the informer's default (90 s, above the API server's one-minute
 * bookmark interval). A shorter one lets a test of stalled watches wait seconds, and reopens quiet watches too.
 */
export function parseWatchIdleTimeout(env: Env): number | undefined {
  const name = 'KUBERAY_TS_WATCH_IDLE_TIMEOUT';
  const text = env[name]?.trim();
  if (!text) return undefined;
  const ms = parseDuration(text, name);
  if (!(ms > 0)) throw new ConfigError(`${name}: must be > 0, got '${text}'`);
  return ms;
}

export function parseLeaderElectionTimings(env: Env): LeaderElectionTimings {
  const d = (name: string, dflt: number) => (env[name] ? parseDuration(env[name]!.trim(), name) : dflt);
  const t = {
    leaseDurationMs: d('KUBERAY_LEADER_ELECTION_LEASE_DURATION', 15_000),
    renewDeadlineMs: d('KUBERAY_LEADER_ELECTION_RENEW_DEADLINE', 10_000),
    retryPeriodMs: d('KUBERAY_LEADER_ELECTION_RETRY_PERIOD', 2_000),
  };
  if (!(t.leaseDurationMs > t.renewDeadlineMs && t.renewDeadlineMs > t.retryPeriodMs && t.retryPeriodMs > 0))
    throw new ConfigError(
      'KUBERAY_LEADER_ELECTION_*: need lease duration > renew deadline > retry period > 0',
    );
  return t;
}
