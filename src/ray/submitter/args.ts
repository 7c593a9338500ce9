import { parseArgs } from 'node:util';
import { KuberayError } from '../../lib/errors.ts';
import type { RayJobRequest } from '../types.ts';

/**
 * The light-weight submitter's command line (KubeRay's `/submitter` in `quay.io/kuberay/submitter`): a few
 * `ray job submit` flags, then `--` and the entrypoint. Everything here is pure.
 */
export interface SubmitterArgs {
  readonly help: boolean;
  readonly runtimeEnv?: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly entrypointResources?: Readonly<Record<string, number>>;
  readonly entrypointNumCpus?: number;
  readonly entrypointNumGpus?: number;
  /** The arguments after `--`, joined with single spaces. */
  readonly entrypoint: string;
}

/** What the submitter reads from its environment (set by the RayJob controller on the submitter container). */
export interface SubmitterEnv {
  /** `RAY_DASHBOARD_ADDRESS`: `host:port`, with or without `http://`. */
  readonly dashboardAddress: string;
  /** `RAY_JOB_SUBMISSION_ID`. */
  readonly submissionId: string;
  /** `RAY_AUTH_TOKEN`, when the cluster uses Ray token auth. */
  readonly authToken?: string;
}

/** A bad flag, flag value or environment: the message names it and says why. */
export class SubmitterUsageError extends KuberayError {}

export const submitterUsage = `Usage: submitter [flags] -- <entrypoint...>

Submits one Ray job to the dashboard at $RAY_DASHBOARD_ADDRESS with submission id $RAY_JOB_SUBMISSION_ID
(a job already submitted under that id is not an error), then prints its logs until it finishes.

Flags:
  --runtime-env-json JSON       the job's runtime environment, a JSON object
  --metadata-json JSON          the job's metadata, a JSON object of strings
  --entrypoint-resources JSON   custom resources for the entrypoint, a JSON object of numbers
  --entrypoint-num-cpus N       CPUs reserved for the entrypoint
  --entrypoint-num-gpus N       GPUs reserved for the entrypoint
  -h, --help                    show this help

Environment:
  RAY_DASHBOARD_ADDRESS   (required) the Ray dashboard, host:port
  RAY_JOB_SUBMISSION_ID   (required) the submission id of the job
  RAY_AUTH_TOKEN          (optional) Ray token auth, sent as X-Ray-Authorization: Bearer <token>

Exit status: 0 when the log stream ends with a normal close (the job finished), 1 on any error.
`;

/** Parses the flags before `--`; the words after it form the entrypoint. Throws SubmitterUsageError. */
export function parseSubmitterArgs(argv: readonly string[]): SubmitterArgs {
  const dash = argv.indexOf('--');
  const flags = dash >= 0 ? argv.slice(0, dash) : [...argv];
  const rest = dash >= 0 ? argv.slice(dash + 1) : [];
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: flags,
      strict: true,
      allowPositionals: false,
      options: {
        'runtime-env-json': { type: 'string' },
        'metadata-json': { type: 'string' },
        'entrypoint-resources': { type: 'string' },
        'entrypoint-num-cpus': { type: 'string' },
        'entrypoint-num-gpus': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (cause) {
    const hint = dash < 0 ? ' (put the entrypoint after --)' : '';
    throw new SubmitterUsageError(`${(cause as Error).message}${hint}`, { cause });
  }
  if (values.help) return { help: true, entrypoint: '' };
  const entrypoint = rest.join(' ').trim();
  if (!entrypoint) throw new SubmitterUsageError('no entrypoint: pass the command after --');
  const out: {
    -readonly [K in keyof SubmitterArgs]: SubmitterArgs[K];
  } = { help: false, entrypoint };
  const runtimeEnv = jsonObject('--runtime-env-json', values['runtime-env-json']);
  if (runtimeEnv) out.runtimeEnv = runtimeEnv;
  const metadata = jsonObject('--metadata-json', values['metadata-json'], 'string');
  if (metadata) out.metadata = metadata as Record<string, string>;
  const resources = jsonObject('--entrypoint-resources', values['entrypoint-resources'], 'number');
  if (resources) out.entrypointResources = resources as Record<string, number>;
  const cpus = nonNegative('--entrypoint-num-cpus', values['entrypoint-num-cpus']);
  if (cpus !== undefined) out.entrypointNumCpus = cpus;
  const gpus = nonNegative('--entrypoint-num-gpus', values['entrypoint-num-gpus']);
  if (gpus !== undefined) out.entrypointNumGpus = gpus;
  return out;
}

function jsonObject(
  flag: string,
  text: string | boolean | undefined,
  valueType?: 'string' | 'number',
): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SubmitterUsageError(`${flag}: not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SubmitterUsageError(`${flag}: must be a JSON object, got ${JSON.stringify(parsed)}`);
  if (valueType)
    for (const [k, v] of Object.entries(parsed))
      if (typeof v !== valueType || (valueType === 'number' && !Number.isFinite(v)))
        throw new SubmitterUsageError(`${flag}: the value of ${JSON.stringify(k)} must be a ${valueType}`);
  return parsed as Record<string, unknown>;
}

function nonNegative(flag: string, text: string | boolean | undefined): number | undefined {
  if (typeof text !== 'string') return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new SubmitterUsageError(`${flag}: must be a number >= 0, got ${JSON.stringify(text)}`);
  return n;
}

/** Reads the required environment; a missing or empty variable is named in the error. */
export function readSubmitterEnv(env: Readonly<Record<string, string | undefined>>): SubmitterEnv {
  const missing = ['RAY_DASHBOARD_ADDRESS', 'RAY_JOB_SUBMISSION_ID'].filter((k) => !env[k]?.trim());
  if (missing.length > 0)
    throw new SubmitterUsageError(
      `environment variable${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} must be set`,
    );
  const token = env.RAY_AUTH_TOKEN?.trim();
  return {
    dashboardAddress: env.RAY_DASHBOARD_ADDRESS!.trim(),
    submissionId: env.RAY_JOB_SUBMISSION_ID!.trim(),
    ...(token ? { authToken: token } : {}),
  };
}

/** The POST /api/jobs/ body (unset fields are left out). */
export function submitRequest(args: SubmitterArgs, env: SubmitterEnv): RayJobRequest {
  return {
    entrypoint: args.entrypoint,
    submission_id: env.submissionId,
    ...(args.runtimeEnv ? { runtime_env: args.runtimeEnv } : {}),
    ...(args.metadata ? { metadata: args.metadata } : {}),
    ...(args.entrypointNumCpus !== undefined ? { entrypoint_num_cpus: args.entrypointNumCpus } : {}),
    ...(args.entrypointNumGpus !== undefined ? { entrypoint_num_gpus: args.entrypointNumGpus } : {}),
    ...(args.entrypointResources ? { entrypoint_resources: args.entrypointResources } : {}),
  };
}

/** `http://host:port` for the HTTP API (a scheme already present is kept). */
export function httpBase(address: string): string {
  const a = address.replace(/\/+$/, '');
  return /^https?:\/\//.test(a) ? a : `http://${a}`;
}

/** `ws://host:port/api/jobs/<id>/logs/tail` (`wss://` for an `https://` address). */
export function tailUrl(address: string, submissionId: string): string {
  const base = httpBase(address).replace(/^http/, 'ws');
  return `${base}/api/jobs/${encodeURIComponent(submissionId)}/logs/tail`;
}
