import { API_VERSION, Kinds } from '../../../src/api/constants.ts';
import type { Container, PodSpec } from '../../../src/api/k8s-types.ts';
import type {
  HeadGroupSpec,
  RayCluster,
  RayClusterSpec,
  WorkerGroupSpec,
} from '../../../src/api/raycluster.ts';
import type { RayCronJob } from '../../../src/api/raycronjob.ts';
import type { RayJob, RayJobSpec } from '../../../src/api/rayjob.ts';
import type { RayService } from '../../../src/api/rayservice.ts';
import type { ValidationError } from '../../../src/api/validation/common.ts';
import { validateRayCluster } from '../../../src/api/validation/raycluster.ts';
import { validateRayCronJobSpec } from '../../../src/api/validation/raycronjob.ts';
import { validateRayJob } from '../../../src/api/validation/rayjob.ts';
import { validateRayService } from '../../../src/api/validation/rayservice.ts';
import { ClientError } from './errors.ts';

/** The Ray image the builders use when none is given. */
export const DEFAULT_RAY_IMAGE = 'rayproject/ray:2.52.1';

/** A pod toleration (Kubernetes `core/v1` Toleration). */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** CPU and memory of a Ray container: requests and limits are both set to these (Ray reads the limits). */
export interface NodeResources {
  /** Kubernetes quantity, e.g. `'1'`, `'500m'`; default `'1'`. */
  readonly cpu?: string;
  /** Kubernetes quantity, e.g. `'2Gi'`; default `'2Gi'`. */
  readonly memory?: string;
  /** GPUs (`nvidia.com/gpu`); default none. */
  readonly gpu?: number;
}

/** Scheduling and environment shared by the cluster's pods. */
export interface PodOptions {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly env?: Readonly<Record<string, string>>;
  readonly serviceAccountName?: string;
}

/** One worker group of `rayClusterSpec`. */
export interface WorkerGroupOptions extends NodeResources {
  /** Default `workers` (or `workers-<i>` after the first group). */
  readonly groupName?: string;
  readonly replicas: number;
  /** Default 0. */
  readonly minReplicas?: number;
  /** Default max(replicas, minReplicas). */
  readonly maxReplicas?: number;
  /** Image of this group; default the cluster's image. */
  readonly image?: string;
  readonly rayStartParams?: Readonly<Record<string, string>>;
}

/** The shape of a cluster: a head and worker groups of one image. */
export interface ClusterOptions extends PodOptions {
  /** Default DEFAULT_RAY_IMAGE. */
  readonly image?: string;
  /** Default: the image tag's version (`rayproject/ray:2.52.1-py311` gives `2.52.1`), else unset. */
  readonly rayVersion?: string;
  /** Head resources and ray start params. */
  readonly head?: NodeResources & {
    readonly rayStartParams?: Readonly<Record<string, string>>;
    readonly serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  };
  /** A number N gives one group `workers` of N replicas with the head's resources; default no workers. */
  readonly workers?: number | readonly WorkerGroupOptions[];
  /** Worker resources when `workers` is a number; default cpu '1', memory '2Gi'. */
  readonly workerResources?: NodeResources;
  /** Turns on the in-tree autoscaler (min/max replicas bound each group). */
  readonly enableInTreeAutoscaling?: boolean;
}

/** Object metadata of the builders. */
export interface MetaOptions {
  readonly name: string;
  /** Default: the client's namespace when created through a RayClient. */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A RayClusterSpec: a head (`ray-head` container with the GCS, dashboard and client ports) and worker groups
 * (`ray-worker` containers), requests equal to limits. Throws ClientError naming the option that is wrong.
 *
 * @example
 * ```ts
 * const spec = rayClusterSpec({ image: 'rayproject/ray:2.52.1', workers: 2 });
 * ```
 */
export function rayClusterSpec(options: ClusterOptions = {}): RayClusterSpec {
  const image = options.image ?? DEFAULT_RAY_IMAGE;
  requireText(image, 'image');
  const rayVersion = options.rayVersion ?? versionOfImage(image);
  const head = options.head ?? {};
  const headSpec: HeadGroupSpec = {
    rayStartParams: { ...(head.rayStartParams ?? {}) },
    ...(head.serviceType ? { serviceType: head.serviceType } : {}),
    template: {
      spec: podSpec(options, {
        name: 'ray-head',
        image,
        resources: resources(head, 'head'),
        ports: [
          { containerPort: 6379, name: 'gcs-server' },
          { containerPort: 8265, name: 'dashboard' },
          { containerPort: 10001, name: 'client' },
        ],
      }),
    },
  };
  const groups = workerGroups(options);
  return {
    ...(rayVersion ? { rayVersion } : {}),
    ...(options.enableInTreeAutoscaling ? { enableInTreeAutoscaling: true } : {}),
    headGroupSpec: headSpec,
    ...(groups.length
      ? {
          workerGroupSpecs: groups.map((g, i) => {
            const replicas = wholeNumber(g.replicas, `workers[${i}].replicas`);
            const min = wholeNumber(g.minReplicas ?? 0, `workers[${i}].minReplicas`);
            const max = wholeNumber(g.maxReplicas ?? Math.max(replicas, min), `workers[${i}].maxReplicas`);
            if (min > max)
              throw new ClientError(`workers[${i}]: minReplicas ${min} exceeds maxReplicas ${max}`);
            if (replicas < min || replicas > max)
              throw new ClientError(`workers[${i}].replicas: ${replicas} is outside [${min}, ${max}]`);
            const group: WorkerGroupSpec = {
              groupName: g.groupName ?? (i === 0 ? 'workers' : `workers-${i}`),
              replicas,
              minReplicas: min,
              maxReplicas: max,
              rayStartParams: { ...(g.rayStartParams ?? {}) },
              template: {
                spec: podSpec(options, {
                  name: 'ray-worker',
                  image: g.image ?? image,
                  resources: resources(g, `workers[${i}]`),
                }),
              },
            };
            return group;
          }),
        }
      : {}),
  };
}

/**
 * A RayCluster manifest (see `rayClusterSpec` for the shape), checked with the operator's own validation.
 *
 * @example
 * ```ts
 * const cluster = rayClusterManifest({ name: 'demo', workers: 2, workerResources: { cpu: '2', memory: '4Gi' } });
 * await client.clusters.create(cluster);
 * ```
 */
export function rayClusterManifest(options: MetaOptions & ClusterOptions): RayCluster {
  const obj: RayCluster = {
    apiVersion: API_VERSION,
    kind: Kinds.RayCluster,
    metadata: meta(options),
    spec: rayClusterSpec(options),
  };
  check('RayCluster', validateRayCluster(obj));
  return obj;
}

/** A RayJob: an entrypoint run on a new cluster (`cluster`) or on an existing one (`clusterSelector`). */
export interface JobOptions extends MetaOptions {
  /** The shell command of the job, e.g. `python -c "import ray; ray.init()"`. */
  readonly entrypoint: string;
  /** The cluster to create for the job; default a head-only cluster of DEFAULT_RAY_IMAGE. */
  readonly cluster?: ClusterOptions;
  /** Run on an existing RayCluster instead, e.g. `{ 'ray.io/cluster': 'demo' }`. */
  readonly clusterSelector?: Readonly<Record<string, string>>;
  /** Ray runtime env (`{ env_vars: {...}, working_dir: ... }`), sent as runtimeEnvYAML. */
  readonly runtimeEnv?: Readonly<Record<string, unknown>>;
  /** Default true when the job creates its cluster (the cluster goes away when the job ends). */
  readonly shutdownAfterJobFinishes?: boolean;
  readonly ttlSecondsAfterFinished?: number;
  readonly activeDeadlineSeconds?: number;
  readonly backoffLimit?: number;
  readonly submissionMode?: 'K8sJobMode' | 'HTTPMode' | 'InteractiveMode' | 'SidecarMode';
  readonly entrypointNumCpus?: number;
  readonly entrypointNumGpus?: number;
  readonly suspend?: boolean;
  readonly jobId?: string;
}

/**
 * A RayJobSpec (see `rayJobManifest`).
 *
 * @example
 * ```ts
 * const spec = rayJobSpec({ name: 'pi', entrypoint: 'python pi.py', cluster: { workers: 1 } });
 * ```
 */
export function rayJobSpec(options: Omit<JobOptions, 'name'> & { name?: string }): RayJobSpec {
  requireText(options.entrypoint, 'entrypoint');
  if (options.cluster && options.clusterSelector)
    throw new ClientError('cluster: give either cluster or clusterSelector, not both');
  const ownCluster = !options.clusterSelector;
  const shutdown = options.shutdownAfterJobFinishes ?? ownCluster;
  const spec: RayJobSpec = {
    entrypoint: options.entrypoint,
    ...(ownCluster
      ? { rayClusterSpec: rayClusterSpec(options.cluster ?? {}) }
      : { clusterSelector: { ...options.clusterSelector } }),
    ...(shutdown && ownCluster ? { shutdownAfterJobFinishes: true } : {}),
    ...(options.runtimeEnv ? { runtimeEnvYAML: JSON.stringify(options.runtimeEnv) } : {}),
    ...(options.ttlSecondsAfterFinished !== undefined
      ? { ttlSecondsAfterFinished: wholeNumber(options.ttlSecondsAfterFinished, 'ttlSecondsAfterFinished') }
      : {}),
    ...(options.activeDeadlineSeconds !== undefined
      ? { activeDeadlineSeconds: wholeNumber(options.activeDeadlineSeconds, 'activeDeadlineSeconds') }
      : {}),
    ...(options.backoffLimit !== undefined
      ? { backoffLimit: wholeNumber(options.backoffLimit, 'backoffLimit') }
      : {}),
    ...(options.submissionMode ? { submissionMode: options.submissionMode } : {}),
    ...(options.entrypointNumCpus !== undefined ? { entrypointNumCpus: options.entrypointNumCpus } : {}),
    ...(options.entrypointNumGpus !== undefined ? { entrypointNumGpus: options.entrypointNumGpus } : {}),
    ...(options.suspend !== undefined ? { suspend: options.suspend } : {}),
    ...(options.jobId ? { jobId: options.jobId } : {}),
  };
  return spec;
}

/**
 * A RayJob manifest, checked with the operator's own validation.
 *
 * @example
 * ```ts
 * const job = rayJobManifest({
 *   name: 'hello',
 *   entrypoint: 'python -c "import ray; ray.init(); print(ray.cluster_resources())"',
 *   cluster: { workers: 1 },
 * });
 * await client.jobs.create(job);
 * await client.jobs.waitFor('hello', 'succeeded');
 * ```
 */
export function rayJobManifest(options: JobOptions): RayJob {
  const obj: RayJob = {
    apiVersion: API_VERSION,
    kind: Kinds.RayJob,
    metadata: meta(options),
    spec: rayJobSpec(options),
  };
  check('RayJob', validateRayJob(obj));
  return obj;
}

/** A RayService: a cluster and a Serve config. */
export interface ServiceOptions extends MetaOptions {
  /** The Serve config (`applications: [...]`): YAML text, or an object written out as JSON (valid YAML). */
  readonly serveConfig: string | Readonly<Record<string, unknown>>;
  readonly cluster?: ClusterOptions;
}

/**
 * A RayService manifest, checked with the operator's own validation.
 *
 * @example
 * ```ts
 * const svc = rayServiceManifest({
 *   name: 'serve-demo',
 *   serveConfig: { applications: [{ name: 'app', import_path: 'app:graph', route_prefix: '/' }] },
 *   cluster: { workers: 1 },
 * });
 * await client.services.create(svc);
 * ```
 */
export function rayServiceManifest(options: ServiceOptions): RayService {
  const serveConfigV2 =
    typeof options.serveConfig === 'string' ? options.serveConfig : JSON.stringify(options.serveConfig);
  requireText(serveConfigV2, 'serveConfig');
  const obj: RayService = {
    apiVersion: API_VERSION,
    kind: Kinds.RayService,
    metadata: meta(options),
    spec: { serveConfigV2, rayClusterConfig: rayClusterSpec(options.cluster ?? {}) },
  };
  check('RayService', validateRayService(obj));
  return obj;
}

/** A RayCronJob: a RayJob made on a cron schedule. */
export interface CronJobOptions extends MetaOptions {
  /** Standard 5-field cron (`*\/5 * * * *`) or a macro (`@hourly`). */
  readonly schedule: string;
  /** IANA time zone of the schedule; default the operator's (UTC). */
  readonly timeZone?: string;
  readonly suspend?: boolean;
  /** The job each run creates. */
  readonly job: Omit<JobOptions, 'name' | 'namespace' | 'labels' | 'annotations'>;
}

/**
 * A RayCronJob manifest (alpha kind: the operator runs it with `--feature-gates=RayCronJob=true`).
 *
 * @example
 * ```ts
 * const cron = rayCronJobManifest({ name: 'nightly', schedule: '0 3 * * *', job: { entrypoint: 'python etl.py' } });
 * await client.cronJobs.create(cron);
 * ```
 */
export function rayCronJobManifest(options: CronJobOptions): RayCronJob {
  requireText(options.schedule, 'schedule');
  const obj: RayCronJob = {
    apiVersion: API_VERSION,
    kind: Kinds.RayCronJob,
    metadata: meta(options),
    spec: {
      schedule: options.schedule,
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      ...(options.suspend !== undefined ? { suspend: options.suspend } : {}),
      jobTemplate: rayJobSpec(options.job),
    },
  };
  check('RayCronJob', validateRayCronJobSpec(obj));
  return obj;
}

/**
 * The Ray version in an image tag, or undefined.
 *
 * @example
 * ```ts
 * versionOfImage('rayproject/ray:2.52.1-py311-cpu'); // '2.52.1'
 * ```
 */
export function versionOfImage(image: string): string | undefined {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  if (tag === image || tag.includes('/')) return undefined;
  return /^(\d+\.\d+\.\d+)/.exec(tag)?.[1];
}

function workerGroups(options: ClusterOptions): readonly WorkerGroupOptions[] {
  const w = options.workers;
  if (w === undefined) return [];
  if (typeof w === 'number') {
    const n = wholeNumber(w, 'workers');
    return n === 0 ? [] : [{ replicas: n, ...(options.workerResources ?? {}) }];
  }
  if (!Array.isArray(w)) throw new ClientError('workers: must be a number or a list of worker groups');
  const names = new Set<string>();
  w.forEach((g, i) => {
    const name = g.groupName ?? (i === 0 ? 'workers' : `workers-${i}`);
    if (names.has(name)) throw new ClientError(`workers[${i}].groupName: '${name}' is used twice`);
    names.add(name);
  });
  return w;
}

function podSpec(options: PodOptions, container: Container): PodSpec {
  const env = Object.entries(options.env ?? {}).map(([name, value]) => ({ name, value }));
  return {
    ...(options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : {}),
    ...(options.nodeSelector ? { nodeSelector: { ...options.nodeSelector } } : {}),
    ...(options.tolerations ? { tolerations: [...options.tolerations] } : {}),
    containers: [{ ...container, ...(env.length ? { env } : {}) }],
  };
}

function resources(r: NodeResources, field: string): Container['resources'] {
  const cpu = r.cpu ?? '1';
  const memory = r.memory ?? '2Gi';
  requireText(cpu, `${field}.cpu`);
  requireText(memory, `${field}.memory`);
  const gpu: Record<string, string> =
    r.gpu === undefined ? {} : { 'nvidia.com/gpu': String(wholeNumber(r.gpu, `${field}.gpu`)) };
  return { requests: { cpu, memory, ...gpu }, limits: { cpu, memory, ...gpu } };
}

function meta(o: MetaOptions): RayCluster['metadata'] {
  requireText(o.name, 'name');
  return {
    name: o.name,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(o.labels ? { labels: { ...o.labels } } : {}),
    ...(o.annotations ? { annotations: { ...o.annotations } } : {}),
  };
}

function check(kind: string, errors: readonly ValidationError[]): void {
  if (errors.length)
    throw new ClientError(
      `${kind} is not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    );
}

function requireText(v: unknown, field: string): void {
  if (typeof v !== 'string' || v.trim() === '')
    throw new ClientError(`${field}: must be a non-empty string, got ${JSON.stringify(v)}`);
}

function wholeNumber(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ClientError(`${field}: must be a whole number >= 0, got ${JSON.stringify(v)}`);
  return v;
}
