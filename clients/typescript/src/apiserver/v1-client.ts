import { WaitTimeoutError } from '../errors.ts';
import { type ApiRequest, ApiServerHttp, type ApiServerOptions, pathOf, withQuery } from './http.ts';
import type {
  V1Cluster,
  V1ComputeTemplate,
  V1JobSubmission,
  V1JobSubmissionInfo,
  V1Page,
  V1RayJob,
  V1RayService,
} from './v1-types.ts';

const V1 = ['apis', 'v1'] as const;
const ns = (namespace: string, ...rest: string[]) =>
  pathOf(...V1, 'namespaces', required(namespace, 'namespace'), ...rest);
const all = (collection: string) => pathOf(...V1, collection);

function required(v: string, field: string): string {
  if (typeof v !== 'string' || v === '') throw new TypeError(`${field}: must be a non-empty string`);
  return v;
}

/** Paging of list calls: clusters and jobs use `continue`/`limit`, services `page_token`/`page_size`. */
export interface V1ListOptions {
  /** Page size; default: the server's (all). */
  readonly limit?: number;
  /** The `next` of the previous page. */
  readonly page?: string;
}

/**
 * The HTTP request of each v1 call (pure: no I/O). `ApiServerV1Client` sends these; they are exported so the
 * routes can be checked and reused with another HTTP stack.
 *
 * @example
 * ```ts
 * v1Requests.getCluster('ml', 'demo'); // { method: 'GET', path: '/apis/v1/namespaces/ml/clusters/demo' }
 * ```
 */
export const v1Requests = {
  listComputeTemplates: (namespace?: string): ApiRequest => ({
    method: 'GET',
    path: namespace === undefined ? all('compute_templates') : ns(namespace, 'compute_templates'),
  }),
  getComputeTemplate: (namespace: string, name: string): ApiRequest => ({
    method: 'GET',
    path: ns(namespace, 'compute_templates', required(name, 'name')),
  }),
  createComputeTemplate: (t: V1ComputeTemplate): ApiRequest => ({
    method: 'POST',
    path: ns(t?.namespace, 'compute_templates'),
    body: t,
  }),
  deleteComputeTemplate: (namespace: string, name: string): ApiRequest => ({
    method: 'DELETE',
    path: ns(namespace, 'compute_templates', required(name, 'name')),
  }),
  listClusters: (namespace?: string, o: V1ListOptions = {}): ApiRequest => ({
    method: 'GET',
    path: withQuery(namespace === undefined ? all('clusters') : ns(namespace, 'clusters'), {
      limit: o.limit,
      continue: o.page,
    }),
  }),
  getCluster: (namespace: string, name: string): ApiRequest => ({
    method: 'GET',
    path: ns(namespace, 'clusters', required(name, 'name')),
  }),
  createCluster: (c: V1Cluster): ApiRequest => ({
    method: 'POST',
    path: ns(c?.namespace, 'clusters'),
    body: c,
  }),
  deleteCluster: (namespace: string, name: string): ApiRequest => ({
    method: 'DELETE',
    path: ns(namespace, 'clusters', required(name, 'name')),
  }),
  listJobs: (namespace?: string, o: V1ListOptions = {}): ApiRequest => ({
    method: 'GET',
    path: withQuery(namespace === undefined ? all('jobs') : ns(namespace, 'jobs'), {
      limit: o.limit,
      continue: o.page,
    }),
  }),
  getJob: (namespace: string, name: string): ApiRequest => ({
    method: 'GET',
    path: ns(namespace, 'jobs', required(name, 'name')),
  }),
  createJob: (j: V1RayJob): ApiRequest => ({ method: 'POST', path: ns(j?.namespace, 'jobs'), body: j }),
  deleteJob: (namespace: string, name: string): ApiRequest => ({
    method: 'DELETE',
    path: ns(namespace, 'jobs', required(name, 'name')),
  }),
  listServices: (namespace?: string, o: V1ListOptions = {}): ApiRequest => ({
    method: 'GET',
    path: withQuery(namespace === undefined ? all('services') : ns(namespace, 'services'), {
      page_size: o.limit,
      page_token: o.page,
    }),
  }),
  getService: (namespace: string, name: string): ApiRequest => ({
    method: 'GET',
    path: ns(namespace, 'services', required(name, 'name')),
  }),
  createService: (s: V1RayService): ApiRequest => ({
    method: 'POST',
    path: ns(s?.namespace, 'services'),
    body: s,
  }),
  updateService: (s: V1RayService): ApiRequest => ({
    method: 'PUT',
    path: ns(s?.namespace, 'services', required(s?.name, 'name')),
    body: s,
  }),
  deleteService: (namespace: string, name: string): ApiRequest => ({
    method: 'DELETE',
    path: ns(namespace, 'services', required(name, 'name')),
  }),
  submitJob: (namespace: string, cluster: string, job: V1JobSubmission): ApiRequest => {
    required(job?.entrypoint, 'entrypoint');
    return { method: 'POST', path: ns(namespace, 'jobsubmissions', required(cluster, 'cluster')), body: job };
  },
  getJobDetails: (namespace: string, cluster: string, submissionId: string): ApiRequest => ({
    method: 'GET',
    path: ns(
      namespace,
      'jobsubmissions',
      required(cluster, 'cluster'),
      required(submissionId, 'submissionId'),
    ),
  }),
  listJobDetails: (namespace: string, cluster: string): ApiRequest => ({
    method: 'GET',
    path: ns(namespace, 'jobsubmissions', required(cluster, 'cluster')),
  }),
  getJobLog: (namespace: string, cluster: string, submissionId: string): ApiRequest => ({
    method: 'GET',
    path: ns(
      namespace,
      'jobsubmissions',
      required(cluster, 'cluster'),
      'log',
      required(submissionId, 'submissionId'),
    ),
  }),
  stopJobSubmission: (namespace: string, cluster: string, submissionId: string): ApiRequest => ({
    method: 'POST',
    path: ns(
      namespace,
      'jobsubmissions',
      required(cluster, 'cluster'),
      required(submissionId, 'submissionId'),
    ),
  }),
  deleteJobSubmission: (namespace: string, cluster: string, submissionId: string): ApiRequest => ({
    method: 'DELETE',
    path: ns(
      namespace,
      'jobsubmissions',
      required(cluster, 'cluster'),
      required(submissionId, 'submissionId'),
    ),
  }),
} as const;

type Json = Record<string, unknown> | undefined;

/** A field by its JSON name or its protobuf name (the server may write either). */
function field(o: Json, camel: string, snake: string): unknown {
  return o?.[camel] ?? o?.[snake];
}

function list<T>(body: unknown, camel: string, snake = camel): T[] {
  const v = field(body as Json, camel, snake);
  return Array.isArray(v) ? (v as T[]) : [];
}

/** Protobuf JSON writes 64-bit integers as strings. */
function int(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : 0;
  return Number.isFinite(n) ? n : 0;
}

/** Decoders of v1 answers (pure). */
export const v1Responses = {
  computeTemplates: (body: unknown): V1ComputeTemplate[] =>
    list(body, 'computeTemplates', 'compute_templates'),
  clusters: (body: unknown): V1Page<V1Cluster> => ({
    items: list(body, 'clusters'),
    next: String(field(body as Json, 'continue', 'continue') ?? ''),
  }),
  jobs: (body: unknown): V1Page<V1RayJob> => ({
    items: list(body, 'jobs'),
    next: String(field(body as Json, 'continue', 'continue') ?? ''),
  }),
  services: (body: unknown): V1Page<V1RayService> => ({
    items: list(body, 'services'),
    next: String(field(body as Json, 'nextPageToken', 'next_page_token') ?? ''),
  }),
  submissionId: (body: unknown): string => String(field(body as Json, 'submissionId', 'submission_id') ?? ''),
  jobInfo: (body: unknown): V1JobSubmissionInfo => {
    const o = body as Json;
    const text = (camel: string, snake: string) => String(field(o, camel, snake) ?? '');
    return {
      entrypoint: text('entrypoint', 'entrypoint'),
      jobId: text('jobId', 'job_id'),
      submissionId: text('submissionId', 'submission_id'),
      status: text('status', 'status'),
      message: text('message', 'message'),
      errorType: text('errorType', 'error_type'),
      startTime: int(field(o, 'startTime', 'start_time')),
      endTime: int(field(o, 'endTime', 'end_time')),
      metadata: (field(o, 'metadata', 'metadata') as Record<string, string> | undefined) ?? {},
      runtimeEnv: (field(o, 'runtimeEnv', 'runtime_env') as Record<string, string> | undefined) ?? {},
    };
  },
  jobInfos: (body: unknown): V1JobSubmissionInfo[] =>
    list<unknown>(body, 'submissions').map((i) => v1Responses.jobInfo(i)),
  log: (body: unknown): string => String(field(body as Json, 'log', 'log') ?? ''),
} as const;

/** Options of `waitClusterReady`. */
export interface V1WaitOptions {
  /** Default 600000. */
  readonly timeoutMs?: number;
  /** Time between reads (v1 has no watch); default 2000, at least 100. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A client of KubeRay's API server v1 routes (`/apis/v1/...`): compute templates, clusters, jobs,
 * services and job submissions. Errors are ApiServerError with the server's message. Uses only `fetch`:
 * runs in Node 20+, Bun, Deno and browsers.
 *
 * @example
 * ```ts
 * const api = new ApiServerV1Client({ url: 'http://localhost:31888' });
 * await api.createComputeTemplate({ name: 'small', namespace: 'ml', cpu: 2, memory: 4 });
 * await api.createCluster({
 *   name: 'demo', namespace: 'ml', user: 'me', version: '2.52.1',
 *   clusterSpec: { headGroupSpec: { computeTemplate: 'small', image: 'rayproject/ray:2.52.1', rayStartParams: { 'dashboard-host': '0.0.0.0' } } },
 * });
 * await api.waitClusterReady('ml', 'demo');
 * const id = await api.submitJob('ml', 'demo', { entrypoint: 'python -c "print(1)"' });
 * ```
 */
export class ApiServerV1Client {
  readonly http: ApiServerHttp;

  constructor(options: ApiServerOptions) {
    this.http = new ApiServerHttp(options);
  }

  /** Compute templates of one namespace, or of all when `namespace` is omitted. */
  async listComputeTemplates(namespace?: string): Promise<V1ComputeTemplate[]> {
    return v1Responses.computeTemplates(await this.http.send(v1Requests.listComputeTemplates(namespace)));
  }
  async getComputeTemplate(namespace: string, name: string): Promise<V1ComputeTemplate> {
    return this.http.send(v1Requests.getComputeTemplate(namespace, name));
  }
  async createComputeTemplate(template: V1ComputeTemplate): Promise<V1ComputeTemplate> {
    return this.http.send(v1Requests.createComputeTemplate(template));
  }
  async deleteComputeTemplate(namespace: string, name: string): Promise<void> {
    await this.http.send(v1Requests.deleteComputeTemplate(namespace, name));
  }

  /** One page of clusters of a namespace (or all); follow `next` for more. */
  async listClusters(namespace?: string, options: V1ListOptions = {}): Promise<V1Page<V1Cluster>> {
    return v1Responses.clusters(await this.http.send(v1Requests.listClusters(namespace, options)));
  }
  async getCluster(namespace: string, name: string): Promise<V1Cluster> {
    return this.http.send(v1Requests.getCluster(namespace, name));
  }
  async createCluster(cluster: V1Cluster): Promise<V1Cluster> {
    return this.http.send(v1Requests.createCluster(cluster));
  }
  async deleteCluster(namespace: string, name: string): Promise<void> {
    await this.http.send(v1Requests.deleteCluster(namespace, name));
  }

  /**
   * Reads the cluster every `intervalMs` until its `clusterState` is `ready`; resolves the cluster.
   *
   * @example
   * ```ts
   * const c = await api.waitClusterReady('ml', 'demo', { timeoutMs: 300_000 });
   * console.log(c.serviceEndpoint);
   * ```
   */
  async waitClusterReady(namespace: string, name: string, options: V1WaitOptions = {}): Promise<V1Cluster> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const intervalMs = Math.max(100, options.intervalMs ?? 2000);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let last: V1Cluster | undefined;
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (deadline.aborted)
        throw new WaitTimeoutError(
          `timed out after ${timeoutMs} ms waiting for cluster ${namespace}/${name} to be ready (state ${last?.clusterState || 'unknown'})`,
          last,
        );
      last = await this.getCluster(namespace, name);
      if (last.clusterState === 'ready') return last;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, intervalMs);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** `<name>-head-svc.<ns>.svc.cluster.local:<dashboard port>` of a cluster (in-cluster address). */
  async getClusterDashboardEndpoint(namespace: string, name: string): Promise<string> {
    const c = await this.getCluster(namespace, name);
    const port = c.serviceEndpoint?.dashboard ?? '8265';
    return `${name}-head-svc.${namespace}.svc.cluster.local:${port}`;
  }

  async listJobs(namespace?: string, options: V1ListOptions = {}): Promise<V1Page<V1RayJob>> {
    return v1Responses.jobs(await this.http.send(v1Requests.listJobs(namespace, options)));
  }
  async getJob(namespace: string, name: string): Promise<V1RayJob> {
    return this.http.send(v1Requests.getJob(namespace, name));
  }
  async createJob(job: V1RayJob): Promise<V1RayJob> {
    return this.http.send(v1Requests.createJob(job));
  }
  async deleteJob(namespace: string, name: string): Promise<void> {
    await this.http.send(v1Requests.deleteJob(namespace, name));
  }

  async listServices(namespace?: string, options: V1ListOptions = {}): Promise<V1Page<V1RayService>> {
    return v1Responses.services(await this.http.send(v1Requests.listServices(namespace, options)));
  }
  async getService(namespace: string, name: string): Promise<V1RayService> {
    return this.http.send(v1Requests.getService(namespace, name));
  }
  async createService(service: V1RayService): Promise<V1RayService> {
    return this.http.send(v1Requests.createService(service));
  }
  async updateService(service: V1RayService): Promise<V1RayService> {
    return this.http.send(v1Requests.updateService(service));
  }
  async deleteService(namespace: string, name: string): Promise<void> {
    await this.http.send(v1Requests.deleteService(namespace, name));
  }

  /** Submits a Ray job to an existing cluster; resolves the submission id. */
  async submitJob(namespace: string, cluster: string, job: V1JobSubmission): Promise<string> {
    return v1Responses.submissionId(await this.http.send(v1Requests.submitJob(namespace, cluster, job)));
  }
  async getJobDetails(
    namespace: string,
    cluster: string,
    submissionId: string,
  ): Promise<V1JobSubmissionInfo> {
    return v1Responses.jobInfo(
      await this.http.send(v1Requests.getJobDetails(namespace, cluster, submissionId)),
    );
  }
  async listJobDetails(namespace: string, cluster: string): Promise<V1JobSubmissionInfo[]> {
    return v1Responses.jobInfos(await this.http.send(v1Requests.listJobDetails(namespace, cluster)));
  }
  async getJobLog(namespace: string, cluster: string, submissionId: string): Promise<string> {
    return v1Responses.log(await this.http.send(v1Requests.getJobLog(namespace, cluster, submissionId)));
  }
  async stopJobSubmission(namespace: string, cluster: string, submissionId: string): Promise<void> {
    await this.http.send(v1Requests.stopJobSubmission(namespace, cluster, submissionId));
  }
  async deleteJobSubmission(namespace: string, cluster: string, submissionId: string): Promise<void> {
    await this.http.send(v1Requests.deleteJobSubmission(namespace, cluster, submissionId));
  }
}
