import { KuberayError } from '../lib/errors.ts';
import type { Transport } from './transport.ts';
import { isTerminalRayJobStatus, type RayJobInfo, type RayJobRequest, type ServeDetails } from './types.ts';

/**
 * The Ray dashboard API the operator needs: job submission (RayJob) and Serve (RayService). There are no retries
 * inside a client: controllers retry by requeueing. Implementations: HttpDashboardClient and FakeDashboard.
 */
export interface RayDashboardClient {
  /** GET /api/jobs/{id}. Throws JobNotFoundError on 404. */
  getJobInfo(jobId: string): Promise<RayJobInfo>;
  /** GET /api/jobs/. A 404 gives []. */
  listJobs(): Promise<RayJobInfo[]>;
  /**
   * POST /api/jobs/. Returns the submission id. When Ray answers that the id is taken, throws
   * JobAlreadySubmittedError (carrying the id), so callers can treat it as submitted.
   */
  submitJob(request: RayJobRequest): Promise<string>;
  /** GET /api/jobs/{id}/logs. undefined on 404. */
  getJobLogs(jobId: string): Promise<string | undefined>;
  /** POST /api/jobs/{id}/stop. Not an error when Ray says not stopped because the job already ended. */
  stopJob(jobId: string): Promise<void>;
  /** DELETE /api/jobs/{id}. The response is ignored. */
  deleteJob(jobId: string): Promise<void>;
  /** GET /api/serve/applications/?api_type=declarative. */
  getServeDetails(): Promise<ServeDetails>;
  /** PUT /api/serve/applications/ with the JSON-converted serveConfigV2 (plus target_capacity). Idempotent. */
  updateDeployments(serveConfig: unknown): Promise<void>;
  /** GET /api/gcs_healthz: true when the body contains `success`. */
  checkGcsHealth(): Promise<boolean>;
}

/** A non-success answer from the dashboard (or an undecodable one). */
export class DashboardError extends KuberayError {
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

/** GET /api/jobs/{id} answered 404: the job was never submitted (or was deleted). */
export class JobNotFoundError extends DashboardError {
  readonly jobId: string;
  constructor(jobId: string) {
    super(`Ray job ${jobId} not found`, 404);
    this.jobId = jobId;
  }
}

/** Ray refused a submission because the submission id is already in use. */
export class JobAlreadySubmittedError extends DashboardError {
  readonly submissionId: string;
  constructor(submissionId: string, body: string) {
    super(`Ray job ${submissionId} was already submitted: ${truncate(body)}`, 500);
    this.submissionId = submissionId;
  }
}

export const isJobNotFound = (e: unknown): e is JobNotFoundError => e instanceof JobNotFoundError;
export const isJobAlreadySubmitted = (e: unknown): e is JobAlreadySubmittedError =>
  e instanceof JobAlreadySubmittedError;

export const alreadySubmittedMarker = 'Please use a different submission_id';
export const authHeader = 'x-ray-authorization';

export interface HttpDashboardClientOptions {
  readonly transport: Transport;
  /** Ray token auth: sent as `x-ray-authorization: Bearer <token>`. */
  readonly authToken?: string;
}

export class HttpDashboardClient implements RayDashboardClient {
  readonly #transport: Transport;
  readonly #headers: Record<string, string>;
  constructor(options: HttpDashboardClientOptions) {
    this.#transport = options.transport;
    this.#headers = options.authToken ? { [authHeader]: `Bearer ${options.authToken}` } : {};
  }

  get description(): string {
    return this.#transport.description;
  }

  async getJobInfo(jobId: string): Promise<RayJobInfo> {
    const res = await this.#send('GET', `/api/jobs/${encodeURIComponent(jobId)}`);
    if (res.status === 404) throw new JobNotFoundError(jobId);
    // KubeRay decodes any non-404 answer as job info (a 500 becomes an empty, non-terminal status); an error is
    // clearer and lets the status-check timeout count it.
    if (!ok(res.status))
      throw new DashboardError(`GetJobInfo fail: HTTP ${res.status}: ${truncate(res.body)}`, res.status);
    return decode<RayJobInfo>(res.body, res.status, 'GetJobInfo');
  }

  async listJobs(): Promise<RayJobInfo[]> {
    const res = await this.#send('GET', '/api/jobs/');
    if (res.status === 404) return [];
    const out = decode<RayJobInfo[] | null>(res.body, res.status, 'ListJobs');
    return Array.isArray(out) ? out : [];
  }

  async submitJob(request: RayJobRequest): Promise<string> {
    const res = await this.#send('POST', '/api/jobs/', compactRequest(request));
    if (ok(res.status)) {
      const body = decode<{ job_id?: string; submission_id?: string }>(res.body, res.status, 'SubmitJob');
      return body.submission_id || body.job_id || request.submission_id || '';
    }
    if (res.status === 500 && res.body.includes(alreadySubmittedMarker))
      throw new JobAlreadySubmittedError(request.submission_id ?? '', res.body);
    throw new DashboardError(`SubmitJob fail: HTTP ${res.status}: ${truncate(res.body)}`, res.status);
  }

  async getJobLogs(jobId: string): Promise<string | undefined> {
    const res = await this.#send('GET', `/api/jobs/${encodeURIComponent(jobId)}/logs`);
    if (res.status === 404) return undefined;
    if (!ok(res.status))
      throw new DashboardError(`GetJobLog fail: HTTP ${res.status}: ${truncate(res.body)}`, res.status);
    return decode<{ logs?: string }>(res.body, res.status, 'GetJobLog').logs ?? '';
  }

  async stopJob(jobId: string): Promise<void> {
    const res = await this.#send('POST', `/api/jobs/${encodeURIComponent(jobId)}/stop`);
    if (!ok(res.status))
      throw new DashboardError(`StopJob fail: HTTP ${res.status}: ${truncate(res.body)}`, res.status);
    const { stopped } = decode<{ stopped?: boolean }>(res.body, res.status, 'StopJob');
    if (stopped) return;
    const info = await this.getJobInfo(jobId);
    if (!isTerminalRayJobStatus(info.status))
      throw new DashboardError(
        `StopJob fail: job ${jobId} was not stopped and is ${info.status ?? 'unknown'}`,
        0,
      );
  }

  async deleteJob(jobId: string): Promise<void> {
    await this.#send('DELETE', `/api/jobs/${encodeURIComponent(jobId)}`);
  }

  async getServeDetails(): Promise<ServeDetails> {
    const res = await this.#send('GET', '/api/serve/applications/?api_type=declarative');
    if (!ok(res.status))
      throw new DashboardError(`GetServeDetails fail: HTTP ${res.status}: ${truncate(res.body)}`, res.status);
    const details = decode<ServeDetails>(res.body, res.status, 'GetServeDetails');
    return { ...details, applications: details?.applications ?? {} };
  }

  async updateDeployments(serveConfig: unknown): Promise<void> {
    const res = await this.#send('PUT', '/api/serve/applications/', serveConfig ?? {});
    if (!ok(res.status))
      throw new DashboardError(
        `UpdateDeployments fail: HTTP ${res.status}: ${truncate(res.body)}`,
        res.status,
      );
  }

  async checkGcsHealth(): Promise<boolean> {
    const res = await this.#send('GET', '/api/gcs_healthz');
    return ok(res.status) && res.body.includes('success');
  }

  #send(method: string, path: string, body?: unknown) {
    return this.#transport.send({
      method,
      path,
      ...(body !== undefined ? { body } : {}),
      headers: this.#headers,
    });
  }
}

/** Drops zero and empty optional fields, as Ray's client does (`omitempty`). */
export function compactRequest(r: RayJobRequest): RayJobRequest {
  const out: { -readonly [K in keyof RayJobRequest]: RayJobRequest[K] } = { entrypoint: r.entrypoint };
  if (r.submission_id) out.submission_id = r.submission_id;
  if (r.runtime_env && Object.keys(r.runtime_env).length > 0) out.runtime_env = r.runtime_env;
  if (r.metadata && Object.keys(r.metadata).length > 0) out.metadata = r.metadata;
  if (r.entrypoint_num_cpus) out.entrypoint_num_cpus = r.entrypoint_num_cpus;
  if (r.entrypoint_num_gpus) out.entrypoint_num_gpus = r.entrypoint_num_gpus;
  if (r.entrypoint_memory) out.entrypoint_memory = r.entrypoint_memory;
  if (r.entrypoint_resources && Object.keys(r.entrypoint_resources).length > 0)
    out.entrypoint_resources = r.entrypoint_resources;
  return out;
}

function ok(status: number): boolean {
  return status >= 200 && status < 300;
}

function decode<T>(body: string, status: number, call: string): T {
  try {
    return JSON.parse(body) as T;
  } catch (cause) {
    throw new DashboardError(`${call} fail: HTTP ${status}: cannot decode body: ${truncate(body)}`, status, {
      cause,
    });
  }
}

function truncate(s: string, max = 4096): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
