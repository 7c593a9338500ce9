import type { RayJob } from '../../api/index.ts';
import { runtimeEnvObject, SubmitterBuildError } from './submitter.ts';

/** The body of the HTTPMode `POST /api/jobs/` (field names are Ray's). Throws SubmitterBuildError. */
export interface HttpJobRequest {
  entrypoint: string;
  submission_id?: string;
  runtime_env?: Record<string, unknown>;
  metadata?: Record<string, string>;
  entrypoint_num_cpus?: number;
  entrypoint_num_gpus?: number;
  entrypoint_resources?: Record<string, number>;
}

export function buildHttpJobRequest(rayJob: RayJob, jobId: string): HttpJobRequest {
  const spec = rayJob.spec;
  const req: HttpJobRequest = { entrypoint: spec.entrypoint ?? '' };
  if (jobId) req.submission_id = jobId;
  if (spec.runtimeEnvYAML) req.runtime_env = runtimeEnvObject(spec.runtimeEnvYAML);
  if (spec.metadata && Object.keys(spec.metadata).length > 0) req.metadata = { ...spec.metadata };
  if ((spec.entrypointNumCpus ?? 0) > 0) req.entrypoint_num_cpus = spec.entrypointNumCpus!;
  if ((spec.entrypointNumGpus ?? 0) > 0) req.entrypoint_num_gpus = spec.entrypointNumGpus!;
  if (spec.entrypointResources) req.entrypoint_resources = parseEntrypointResources(spec.entrypointResources);
  return req;
}

export function parseEntrypointResources(raw: string): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new SubmitterBuildError(`spec.entrypointResources is not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SubmitterBuildError('spec.entrypointResources must be a JSON object');
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'number')
      throw new SubmitterBuildError(`spec.entrypointResources.${k} must be a number`);
    out[k] = v;
  }
  return out;
}
