import { parse } from 'yaml';

/** The job submission form as typed (all text), and the V1 RayJobSubmission body it becomes. */
export interface SubmissionForm {
  readonly entrypoint: string;
  /** YAML or JSON (JSON is YAML): a mapping, e.g. `pip: [requests]`. */
  readonly runtimeEnv: string;
  /** One `key=value` per line. */
  readonly metadata: string;
  readonly numCpus: string;
  readonly numGpus: string;
  /** One `resource=amount` per line. */
  readonly resources: string;
  readonly submissionId: string;
}

export const EMPTY_SUBMISSION: SubmissionForm = {
  entrypoint: '',
  runtimeEnv: '',
  metadata: '',
  numCpus: '',
  numGpus: '',
  resources: '',
  submissionId: '',
};

export interface SubmissionBody {
  entrypoint: string;
  submissionId?: string;
  runtimeEnv?: string;
  metadata?: Record<string, string>;
  entrypointNumCpus?: number;
  entrypointNumGpus?: number;
  entrypointResources?: Record<string, string>;
}

/** `key=value` lines into a map; blank lines and `#` comments are skipped. Errors name the field and the line. */
export function parsePairs(text: string, field: string): Record<string, string> | { error: string } {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim();
    if (!key) return { error: `${field}, line ${i + 1}: "${line}" is not key=value` };
    if (key in out) return { error: `${field}, line ${i + 1}: "${key}" is given twice` };
    out[key] = line.slice(eq + 1).trim();
  }
  return out;
}

function amount(text: string, field: string): number | undefined | { error: string } {
  const t = text.trim();
  if (!t) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) return { error: `${field}: "${t}" is not a number of at least 0` };
  return n;
}

const isError = (v: unknown): v is { error: string } =>
  typeof v === 'object' && v !== null && 'error' in v && typeof (v as { error: unknown }).error === 'string';

/**
 * Checks the form the way the API server and Ray would, before the call: the entrypoint is required, the runtime
 * env must be a YAML/JSON mapping, metadata and resources are key=value lines, amounts are numbers >= 0.
 */
export function submissionBody(form: SubmissionForm): { body: SubmissionBody } | { error: string } {
  const entrypoint = form.entrypoint.trim();
  if (!entrypoint) return { error: 'entrypoint: required (the command Ray runs, e.g. python script.py)' };
  const body: SubmissionBody = { entrypoint };
  const id = form.submissionId.trim();
  if (id) {
    if (!/^[A-Za-z0-9_.-]+$/.test(id))
      return { error: `submission ID: "${id}" may only contain letters, digits, ".", "_" and "-"` };
    body.submissionId = id;
  }
  if (form.runtimeEnv.trim()) {
    let env: unknown;
    try {
      env = parse(form.runtimeEnv);
    } catch (err) {
      return {
        error: `runtime env: not valid YAML or JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      };
    }
    if (env === null || typeof env !== 'object' || Array.isArray(env))
      return { error: 'runtime env: must be a mapping (e.g. "pip: [emoji]" or {"env_vars": {"A": "1"}})' };
    body.runtimeEnv = form.runtimeEnv;
  }
  const metadata = parsePairs(form.metadata, 'metadata');
  if (isError(metadata)) return metadata;
  if (Object.keys(metadata).length) body.metadata = metadata;
  const cpus = amount(form.numCpus, 'entrypoint CPUs');
  if (isError(cpus)) return cpus;
  if (cpus) body.entrypointNumCpus = cpus;
  const gpus = amount(form.numGpus, 'entrypoint GPUs');
  if (isError(gpus)) return gpus;
  if (gpus) body.entrypointNumGpus = gpus;
  const resources = parsePairs(form.resources, 'entrypoint resources');
  if (isError(resources)) return resources;
  for (const [k, v] of Object.entries(resources)) {
    const n = amount(v, `entrypoint resources "${k}"`);
    if (isError(n)) return n;
    if (n === undefined) return { error: `entrypoint resources "${k}": an amount is required` };
  }
  if (Object.keys(resources).length) body.entrypointResources = resources;
  return { body };
}

/** Ray's job states that do not change any more. */
export const TERMINAL_JOB_STATES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);

export function isTerminalJobStatus(status: string | undefined): boolean {
  return TERMINAL_JOB_STATES.has(status ?? '');
}

/** The badge tone of a Ray job status. */
export function jobTone(status: string | undefined): 'ok' | 'progress' | 'warning' | 'error' | 'idle' {
  switch (status) {
    case 'SUCCEEDED':
      return 'ok';
    case 'PENDING':
    case 'RUNNING':
      return 'progress';
    case 'FAILED':
      return 'error';
    case 'STOPPED':
      return 'warning';
    default:
      return 'idle';
  }
}

/** The V1 job submission routes of a RayCluster (KubeRay's RayJobSubmissionService). */
export function submissionsPath(namespace: string, cluster: string, id?: string, log = false): string {
  const base = `/apis/v1/namespaces/${encodeURIComponent(namespace)}/jobsubmissions/${encodeURIComponent(cluster)}`;
  if (!id) return base;
  return `${base}${log ? '/log' : ''}/${encodeURIComponent(id)}`;
}

/** Ray's start/end times are Unix milliseconds (as numbers or strings); "" when unset. */
export function rayTime(ms: number | string | undefined): string {
  const n = Number(ms ?? 0);
  if (!Number.isFinite(n) || n <= 0) return '';
  return new Date(n)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}
