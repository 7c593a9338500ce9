import { JobAlreadySubmittedError, JobNotFoundError, type RayDashboardClient } from './dashboard-client.ts';
import type { DashboardClientFactory, DashboardTarget } from './factory.ts';
import { DashboardUnreachableError } from './transport.ts';
import { isTerminalRayJobStatus, type RayJobInfo, type RayJobRequest, type ServeDetails } from './types.ts';

interface FakeCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/**
 * An in-process Ray dashboard for tests: jobs live in a map keyed by submission id and change state only when
 * the test says so (`setJob`). One instance can serve every cluster (`factory()`); job ids are unique per RayJob.
 */
export class FakeDashboard implements RayDashboardClient {
  readonly jobs = new Map<string, RayJobInfo>();
  readonly calls: FakeCall[] = [];
  readonly submissions: RayJobRequest[] = [];
  readonly serveConfigs: unknown[] = [];
  readonly targets: DashboardTarget[] = [];
  serveDetails: ServeDetails = { applications: {} };
  /** When set, getJobInfo of an unknown id returns this instead of a 404 (KubeRay's envtest: always RUNNING). */
  unknownJob: RayJobInfo | undefined;
  /** When true, every call fails as if the connection were refused. */
  unreachable = false;
  /** When set, submitJob fails with this error once and then clears it. */
  failNextSubmit: Error | undefined;
  /** When set, updateDeployments fails with this error (until cleared). */
  failServePut: Error | undefined;
  gcsHealthy = true;

  /** A factory that hands out this instance for every cluster and records the targets. */
  factory(): DashboardClientFactory {
    return async (target) => {
      this.targets.push(target);
      return this;
    };
  }

  /** Creates or updates a job (merging fields). */
  setJob(id: string, info: RayJobInfo): void {
    this.jobs.set(id, { submission_id: id, ...this.jobs.get(id), ...info });
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  #enter(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.unreachable)
      throw new DashboardUnreachableError(`${method}: connect ECONNREFUSED (fake dashboard)`);
  }

  async getJobInfo(jobId: string): Promise<RayJobInfo> {
    this.#enter('getJobInfo', jobId);
    const job = this.jobs.get(jobId);
    if (job) return job;
    if (this.unknownJob) return { submission_id: jobId, ...this.unknownJob };
    throw new JobNotFoundError(jobId);
  }

  async listJobs(): Promise<RayJobInfo[]> {
    this.#enter('listJobs');
    return [...this.jobs.values()];
  }

  async submitJob(request: RayJobRequest): Promise<string> {
    this.#enter('submitJob', request);
    if (this.failNextSubmit) {
      const e = this.failNextSubmit;
      this.failNextSubmit = undefined;
      throw e;
    }
    const id = request.submission_id || `raysubmit_${this.submissions.length + 1}`;
    if (this.jobs.has(id)) throw new JobAlreadySubmittedError(id, 'Please use a different submission_id');
    this.submissions.push(request);
    this.jobs.set(id, {
      submission_id: id,
      status: 'PENDING',
      entrypoint: request.entrypoint,
      ...(request.metadata ? { metadata: request.metadata } : {}),
    });
    return id;
  }

  async getJobLogs(jobId: string): Promise<string | undefined> {
    this.#enter('getJobLogs', jobId);
    return this.jobs.has(jobId) ? `logs of ${jobId}\n` : undefined;
  }

  async stopJob(jobId: string): Promise<void> {
    this.#enter('stopJob', jobId);
    const job = this.jobs.get(jobId);
    if (job && !isTerminalRayJobStatus(job.status)) this.jobs.set(jobId, { ...job, status: 'STOPPED' });
  }

  async deleteJob(jobId: string): Promise<void> {
    this.#enter('deleteJob', jobId);
    this.jobs.delete(jobId);
  }

  async getServeDetails(): Promise<ServeDetails> {
    this.#enter('getServeDetails');
    return this.serveDetails;
  }

  async updateDeployments(serveConfig: unknown): Promise<void> {
    this.#enter('updateDeployments', serveConfig);
    if (this.failServePut) throw this.failServePut;
    this.serveConfigs.push(serveConfig);
  }

  async checkGcsHealth(): Promise<boolean> {
    this.#enter('checkGcsHealth');
    return this.gcsHealthy;
  }
}
