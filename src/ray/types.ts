/**
 * JSON shapes of the Ray dashboard HTTP API that the operator uses (job submission and Serve). Field names are
 * Ray's own (snake_case) because these objects go on the wire unchanged.
 */

/** The terminal `status` values of a Ray job (the others: PENDING, RUNNING). */
export const terminalRayJobStatuses: readonly string[] = ['STOPPED', 'SUCCEEDED', 'FAILED'];

export function isTerminalRayJobStatus(status: string | undefined): boolean {
  return status !== undefined && terminalRayJobStatuses.includes(status);
}

/** `GET /api/jobs/{submission_id}` (and each element of `GET /api/jobs/`). */
export interface RayJobInfo {
  readonly status?: string;
  readonly message?: string;
  /** Milliseconds since the epoch; 0 or absent when unknown. */
  readonly start_time?: number;
  readonly end_time?: number;
  readonly job_id?: string | null;
  readonly submission_id?: string | null;
  readonly entrypoint?: string;
  readonly metadata?: Readonly<Record<string, string>> | null;
  readonly runtime_env?: Readonly<Record<string, unknown>> | null;
  readonly error_type?: string | null;
}

/** `POST /api/jobs/`. Zero or empty optional fields are omitted from the body. */
export interface RayJobRequest {
  readonly entrypoint: string;
  readonly submission_id?: string;
  readonly runtime_env?: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly entrypoint_num_cpus?: number;
  readonly entrypoint_num_gpus?: number;
  /** Bytes of memory reserved for the entrypoint (Ray's `entrypoint_memory`). */
  readonly entrypoint_memory?: number;
  readonly entrypoint_resources?: Readonly<Record<string, number>>;
}

/** One deployment inside `GET /api/serve/applications/?api_type=declarative`. */
export interface ServeDeploymentDetails {
  readonly name: string;
  readonly status: string;
  readonly message?: string;
  readonly route_prefix?: string | null;
}

export interface ServeApplicationDetails {
  readonly name: string;
  readonly status: string;
  readonly message?: string;
  readonly route_prefix?: string | null;
  readonly docs_path?: string | null;
  readonly deployments: Readonly<Record<string, ServeDeploymentDetails>>;
}

/** The body of `GET /api/serve/applications/?api_type=declarative`. */
export interface ServeDetails {
  readonly applications: Readonly<Record<string, ServeApplicationDetails>>;
  readonly deploy_mode?: string;
}

/** The per-application summary the RayService controller works with (converted from ServeDetails). */
export interface ServeApplicationStatus {
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly deployments: Readonly<Record<string, DashboardDeploymentStatus>>;
}

export interface DashboardDeploymentStatus {
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

/** Converts the declarative Serve details into a map from application name to its status. */
export function toApplicationStatuses(details: ServeDetails): Map<string, ServeApplicationStatus> {
  const out = new Map<string, ServeApplicationStatus>();
  for (const [appName, app] of Object.entries(details.applications ?? {})) {
    const deployments: Record<string, DashboardDeploymentStatus> = {};
    for (const [depName, dep] of Object.entries(app.deployments ?? {})) {
      deployments[depName] = {
        name: dep.name ?? depName,
        status: dep.status ?? '',
        message: dep.message ?? '',
      };
    }
    out.set(appName, { name: appName, status: app.status ?? '', message: app.message ?? '', deployments });
  }
  return out;
}
