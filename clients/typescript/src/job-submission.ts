import type { RestClient } from '../../../src/k8s/rest.ts';
import { HttpDashboardClient, JobNotFoundError } from '../../../src/ray/dashboard-client.ts';
import { readAuthToken } from '../../../src/ray/factory.ts';
import {
  directTransport,
  proxyTransport,
  serviceProxyPath,
  type Transport,
} from '../../../src/ray/transport.ts';
import { isTerminalRayJobStatus, type RayJobInfo, type RayJobRequest } from '../../../src/ray/types.ts';
import { WaitTimeoutError } from './errors.ts';

export {
  DashboardError,
  JobAlreadySubmittedError,
  JobNotFoundError,
} from '../../../src/ray/dashboard-client.ts';
export { DashboardUnreachableError } from '../../../src/ray/transport.ts';
export type { RayJobInfo, RayJobRequest };

/** Options of a JobSubmissionClient. */
export interface JobSubmissionOptions {
  /** Ray token auth (`authOptions.mode: token`): the token, sent as `x-ray-authorization: Bearer <token>`. */
  readonly authToken?: string;
  /** Per-request timeout in ms; default 30000. */
  readonly timeoutMs?: number;
}

/** Options of `waitUntilTerminal`. */
export interface JobWaitOptions {
  /** Default 600000 (10 minutes). */
  readonly timeoutMs?: number;
  /** Time between status reads (Ray's job API has no watch); default 1000, at least 100. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Ray's job submission API (the dashboard's `/api/jobs/`) of one Ray cluster: submit, status, logs, stop,
 * list, delete. Reach a cluster through the Kubernetes API server's service proxy with
 * `RayClient.jobSubmission('my-cluster')` (no port-forward, your kubeconfig's credentials), or a dashboard
 * URL directly with `JobSubmissionClient.forUrl('http://127.0.0.1:8265')`. Field names are Ray's own
 * (`submission_id`, `runtime_env`, `entrypoint_num_cpus`, ...).
 *
 * @example
 * ```ts
 * const jobs = await client.jobSubmission('demo');
 * const id = await jobs.submit({ entrypoint: 'python -c "print(42)"' });
 * const info = await jobs.waitUntilTerminal(id);
 * console.log(info.status, await jobs.logs(id));
 * ```
 */
export class JobSubmissionClient {
  readonly #dashboard: HttpDashboardClient;
  /** Where requests go (a URL, or the API server's proxy path). */
  readonly description: string;

  constructor(transport: Transport, options: Pick<JobSubmissionOptions, 'authToken'> = {}) {
    this.#dashboard = new HttpDashboardClient({
      transport,
      ...(options.authToken ? { authToken: options.authToken } : {}),
    });
    this.description = transport.description;
  }

  /**
   * A client for a dashboard reached directly (`http://host:8265`; a missing scheme means http).
   *
   * @example
   * ```ts
   * const jobs = JobSubmissionClient.forUrl('http://127.0.0.1:8265');
   * console.log(await jobs.list());
   * ```
   */
  static forUrl(url: string, options: JobSubmissionOptions = {}): JobSubmissionClient {
    return new JobSubmissionClient(directTransport(url, options.timeoutMs ?? 30_000), options);
  }

  /**
   * A client going through the Kubernetes API server's proxy of the head Service's `dashboard` port
   * (`/api/v1/namespaces/{ns}/services/{service}:dashboard/proxy`). When `authSecretName` is given, the Ray
   * token is read from that Secret's key `auth_token`.
   *
   * @example
   * ```ts
   * const jobs = await JobSubmissionClient.throughServiceProxy(kube.rest, 'default', 'demo-head-svc');
   * ```
   */
  static async throughServiceProxy(
    rest: RestClient,
    namespace: string,
    headService: string,
    options: JobSubmissionOptions & { authSecretName?: string } = {},
  ): Promise<JobSubmissionClient> {
    const token =
      options.authToken ??
      (options.authSecretName ? await readAuthToken(rest, namespace, options.authSecretName) : undefined);
    return new JobSubmissionClient(
      proxyTransport(rest, serviceProxyPath(namespace, headService), options.timeoutMs ?? 30_000),
      token ? { authToken: token } : {},
    );
  }

  /**
   * Submits a job; resolves its submission id (Ray's, or the `submission_id` you gave). A taken id is a
   * JobAlreadySubmittedError.
   *
   * @example
   * ```ts
   * const id = await jobs.submit({ entrypoint: 'python train.py', runtime_env: { env_vars: { EPOCHS: '3' } } });
   * ```
   */
  submit(request: RayJobRequest): Promise<string> {
    if (!request || typeof request.entrypoint !== 'string' || request.entrypoint.trim() === '')
      return Promise.reject(new TypeError('entrypoint: must be a non-empty string'));
    return this.#dashboard.submitJob(request);
  }

  /**
   * The job's info (`status` PENDING, RUNNING, STOPPED, SUCCEEDED or FAILED, `message`, times in ms).
   * An unknown id is a JobNotFoundError.
   *
   * @example
   * ```ts
   * const { status, message } = await jobs.status(id);
   * ```
   */
  status(submissionId: string): Promise<RayJobInfo> {
    return this.#dashboard.getJobInfo(submissionId);
  }

  /**
   * The job's whole driver log so far. An unknown id is a JobNotFoundError.
   *
   * @example
   * ```ts
   * process.stdout.write(await jobs.logs(id));
   * ```
   */
  async logs(submissionId: string): Promise<string> {
    const logs = await this.#dashboard.getJobLogs(submissionId);
    if (logs === undefined) throw new JobNotFoundError(submissionId);
    return logs;
  }

  /**
   * Stops a running job (not an error when it had already ended).
   *
   * @example
   * ```ts
   * await jobs.stop(id);
   * ```
   */
  stop(submissionId: string): Promise<void> {
    return this.#dashboard.stopJob(submissionId);
  }

  /**
   * Every job the cluster knows.
   *
   * @example
   * ```ts
   * for (const j of await jobs.list()) console.log(j.submission_id, j.status);
   * ```
   */
  list(): Promise<RayJobInfo[]> {
    return this.#dashboard.listJobs();
  }

  /**
   * Deletes a finished job's record and logs from the cluster.
   *
   * @example
   * ```ts
   * await jobs.delete(id);
   * ```
   */
  delete(submissionId: string): Promise<void> {
    return this.#dashboard.deleteJob(submissionId);
  }

  /**
   * Reads the job's status every `intervalMs` until it is STOPPED, SUCCEEDED or FAILED; resolves that info.
   * Rejects with WaitTimeoutError after `timeoutMs`, with the signal's reason when `signal` aborts.
   *
   * @example
   * ```ts
   * const info = await jobs.waitUntilTerminal(id, { timeoutMs: 300_000 });
   * if (info.status !== 'SUCCEEDED') throw new Error(info.message);
   * ```
   */
  async waitUntilTerminal(submissionId: string, options: JobWaitOptions = {}): Promise<RayJobInfo> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const intervalMs = Math.max(100, options.intervalMs ?? 1000);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let last: RayJobInfo | undefined;
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (signal.aborted)
        throw new WaitTimeoutError(
          `timed out after ${timeoutMs} ms waiting for Ray job ${submissionId} to end (status ${last?.status ?? 'unknown'})`,
          last,
        );
      last = await this.status(submissionId);
      if (isTerminalRayJobStatus(last.status)) return last;
      await sleep(intervalMs, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
