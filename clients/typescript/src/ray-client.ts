import type { RayCluster } from '../../../src/api/raycluster.ts';
import type { RayCronJob } from '../../../src/api/raycronjob.ts';
import type { RayJob } from '../../../src/api/rayjob.ts';
import type { RayService } from '../../../src/api/rayservice.ts';
import { KubeClient } from '../../../src/k8s/client.ts';
import { inClusterAccess } from '../../../src/k8s/in-cluster.ts';
import { type ClusterAccess, loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import {
  type ClusterConditionName,
  type Condition,
  clusterConditions,
  type JobConditionName,
  jobConditions,
  type ServiceConditionName,
  serviceConditions,
} from './conditions.ts';
import { ClientError } from './errors.ts';
import { JobSubmissionClient, type JobSubmissionOptions } from './job-submission.ts';
import { RayResourceClient } from './resource-client.ts';
import type { WaitOptions } from './wait.ts';

/** The client's version, sent in its user agent. */
export const CLIENT_VERSION = '0.1.0';

/** How `connect` finds the cluster. */
export interface ConnectOptions {
  /** Kubeconfig file; default `$KUBECONFIG` (its first path), then `~/.kube/config`, then in-cluster. */
  readonly kubeconfig?: string;
  /** Kubeconfig context; default its current-context. */
  readonly context?: string;
  /** Use the pod's service account (KUBERNETES_SERVICE_HOST/PORT and the mounted token). */
  readonly inCluster?: boolean;
  /** Default namespace of every call; default the context's namespace, or `default`. */
  readonly namespace?: string;
  /** Field manager of writes and server-side apply; default `kuberay-ts-client`. */
  readonly fieldManager?: string;
  /** Client-side rate limit in requests per second (default 50, burst 100); 0 disables it. */
  readonly qps?: number;
  readonly burst?: number;
}

/**
 * Connects to a Kubernetes cluster with the KubeRay CRDs: kubeconfig (or in-cluster) credentials, as
 * kubectl finds them. Nothing is sent until the first call. Needs Node (file system, TLS client certs).
 *
 * @example
 * ```ts
 * import { connect } from '@kuberay-ts/client';
 * const client = connect({ namespace: 'ml' });
 * console.log((await client.clusters.list()).map((c) => c.metadata.name));
 * client.close();
 * ```
 */
export function connect(options: ConnectOptions = {}): RayClient {
  const env = process.env;
  let access: ClusterAccess & { namespace: string };
  if (options.inCluster) access = inClusterAccess(env);
  else {
    const path =
      options.kubeconfig ??
      env.KUBECONFIG?.split(process.platform === 'win32' ? ';' : ':').find((p) => p !== '') ??
      (env.HOME ? `${env.HOME}/.kube/config` : undefined);
    if (!path && !env.KUBERNETES_SERVICE_HOST)
      throw new ClientError(
        'kubeconfig: no kubeconfig given, KUBECONFIG and HOME are unset, and not in a pod',
      );
    access = path ? loadKubeconfig(path, options.context) : inClusterAccess(env);
  }
  return RayClient.fromAccess(access, { ...options, namespace: options.namespace ?? access.namespace });
}

/**
 * Typed access to KubeRay's four kinds, waits, and Ray job submission through the API server.
 * Make one with `connect()`, or `RayClient.fromAccess` / `new RayClient(kubeClient)`.
 *
 * @example
 * ```ts
 * const client = connect();
 * const cluster = await client.clusters.create(rayClusterManifest({ name: 'demo', workers: 1 }));
 * await client.waitFor(cluster, 'ready', { timeoutMs: 300_000 });
 * const jobs = await client.jobSubmission(cluster);
 * const id = await jobs.submit({ entrypoint: 'python -c "import ray; ray.init()"' });
 * console.log((await jobs.waitUntilTerminal(id)).status);
 * ```
 */
export class RayClient {
  /** The underlying Kubernetes client (any other kind: `kube.get(Resources.pods, ns, name)`). */
  readonly kube: KubeClient;
  /** Default namespace of calls. */
  readonly namespace: string;
  readonly clusters: RayResourceClient<RayCluster, ClusterConditionName>;
  readonly jobs: RayResourceClient<RayJob, JobConditionName>;
  readonly services: RayResourceClient<RayService, ServiceConditionName>;
  /** RayCronJob (alpha: the operator serves it with `--feature-gates=RayCronJob=true`). */
  readonly cronJobs: RayResourceClient<RayCronJob, never>;

  constructor(kube: KubeClient, namespace = 'default') {
    this.kube = kube;
    this.namespace = namespace;
    this.clusters = new RayResourceClient(kube, Resources.rayClusters, namespace, clusterConditions);
    this.jobs = new RayResourceClient(kube, Resources.rayJobs, namespace, jobConditions);
    this.services = new RayResourceClient(kube, Resources.rayServices, namespace, serviceConditions);
    this.cronJobs = new RayResourceClient<RayCronJob, never>(kube, Resources.rayCronJobs, namespace, {});
  }

  /**
   * A client over explicit credentials (server URL, CA, client certificate or token).
   *
   * @example
   * ```ts
   * const client = RayClient.fromAccess({ server: 'https://10.0.0.1:6443', token, ca }, { namespace: 'ml' });
   * ```
   */
  static fromAccess(
    access: ClusterAccess,
    options: Pick<ConnectOptions, 'namespace' | 'fieldManager' | 'qps' | 'burst'> = {},
  ): RayClient {
    const kube = KubeClient.fromAccess(access, {
      qps: options.qps ?? 50,
      burst: options.burst ?? 100,
      userAgent: `kuberay-ts-client/${CLIENT_VERSION}`,
      fieldManager: options.fieldManager ?? 'kuberay-ts-client',
    });
    return new RayClient(kube, options.namespace ?? 'default');
  }

  /**
   * Waits until a RayCluster, RayJob or RayService (the object you created or its name's object) meets a
   * named condition or your own. See `RayResourceClient.waitFor` for errors and defaults.
   *
   * @example
   * ```ts
   * const job = await client.jobs.create(rayJobManifest({ name: 'pi', entrypoint: 'python pi.py' }));
   * const done = await client.waitFor(job, 'succeeded', { timeoutMs: 900_000, signal: AbortSignal.timeout(1e6) });
   * ```
   */
  waitFor(
    obj: RayCluster,
    condition: ClusterConditionName | Condition<RayCluster>,
    options?: WaitOptions,
  ): Promise<RayCluster>;
  waitFor(
    obj: RayJob,
    condition: JobConditionName | Condition<RayJob>,
    options?: WaitOptions,
  ): Promise<RayJob>;
  waitFor(
    obj: RayService,
    condition: ServiceConditionName | Condition<RayService>,
    options?: WaitOptions,
  ): Promise<RayService>;
  waitFor(
    obj: RayCluster | RayJob | RayService,
    condition: string | Condition<never>,
    options: WaitOptions = {},
  ): Promise<RayCluster | RayJob | RayService> {
    const name = obj?.metadata?.name ?? '';
    const o = { ...options, namespace: options.namespace ?? obj?.metadata?.namespace ?? this.namespace };
    switch (obj?.kind) {
      case 'RayCluster':
        return this.clusters.waitFor(name, condition as ClusterConditionName, o);
      case 'RayJob':
        return this.jobs.waitFor(name, condition as JobConditionName, o);
      case 'RayService':
        return this.services.waitFor(name, condition as ServiceConditionName, o);
      default:
        return Promise.reject(
          new ClientError(`kind: waitFor takes a RayCluster, RayJob or RayService, got ${String(obj?.kind)}`),
        );
    }
  }

  /**
   * Ray's job submission API of a RayCluster, through the API server's service proxy: give the cluster
   * object or its name. Uses `status.head.serviceName` (else `<name>-head-svc`) and, for clusters with
   * `authOptions.mode: token`, the Ray token from the cluster's auth Secret.
   *
   * @example
   * ```ts
   * const jobs = await client.jobSubmission('demo');
   * const id = await jobs.submit({ entrypoint: 'echo hi' });
   * ```
   */
  async jobSubmission(
    cluster: string | RayCluster,
    options: JobSubmissionOptions & { namespace?: string } = {},
  ): Promise<JobSubmissionClient> {
    const namespace =
      options.namespace ??
      (typeof cluster === 'string' ? undefined : cluster.metadata.namespace) ??
      this.namespace;
    const name = typeof cluster === 'string' ? cluster : cluster.metadata.name;
    if (!name) throw new ClientError('cluster: the RayCluster name is required');
    const rc =
      typeof cluster !== 'string' && cluster.status ? cluster : await this.clusters.get(name, { namespace });
    const service = rc.status?.head?.serviceName || `${name}-head-svc`;
    const auth = rc.spec?.authOptions as { mode?: string; secretName?: string } | undefined;
    return JobSubmissionClient.throughServiceProxy(this.kube.rest, namespace, service, {
      ...options,
      ...(auth?.mode === 'token' && !options.authToken ? { authSecretName: auth.secretName || name } : {}),
    });
  }

  /**
   * The driver log of a RayJob's Ray job (the job's `status.jobId` on `status.rayClusterName`), read through
   * the API server's proxy. The cluster must still exist (set `shutdownAfterJobFinishes: false` to read logs
   * after the job ended).
   *
   * @example
   * ```ts
   * const job = await client.waitFor(await client.jobs.get('pi'), 'succeeded');
   * console.log(await client.jobLogs(job));
   * ```
   */
  async jobLogs(job: string | RayJob, options: { namespace?: string } = {}): Promise<string> {
    const rj = typeof job === 'string' ? await this.jobs.get(job, options) : job;
    const ns = options.namespace ?? rj.metadata.namespace ?? this.namespace;
    const clusterName = rj.status?.rayClusterName;
    const jobId = rj.status?.jobId;
    if (!clusterName || !jobId)
      throw new ClientError(
        `RayJob ${ns}/${rj.metadata.name}: status.rayClusterName and status.jobId are not set yet (no Ray job submitted)`,
      );
    const jobs = await this.jobSubmission(clusterName, { namespace: ns });
    return jobs.logs(jobId);
  }

  /** Closes the client's connections (pending watches end). */
  close(): void {
    this.kube.rest.close();
  }
}
