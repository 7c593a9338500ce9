import { parse } from 'yaml';
import { ConfigError } from './feature-gates.ts';

/** The `config.ray.io/v1alpha1` `Configuration` file, with KubeRay's defaults applied. */
export interface ConfigFile {
  readonly metricsAddr: string;
  readonly probeAddr: string;
  readonly enableLeaderElection: boolean;
  readonly leaderElectionNamespace: string;
  readonly reconcileConcurrency: number;
  readonly watchNamespace: string;
  readonly logFile: string;
  readonly logFileEncoder: string;
  readonly logStdoutEncoder: string;
  readonly batchScheduler: string;
  readonly enableBatchScheduler: boolean;
  readonly useKubernetesProxy: boolean;
  readonly enableMetrics: boolean;
  readonly qps: number;
  readonly burst: number;
  readonly deleteRayJobAfterJobFinishes: boolean;
  readonly headSidecarContainers: readonly unknown[];
  readonly workerSidecarContainers: readonly unknown[];
  readonly defaultContainerEnvs: readonly unknown[];
  readonly defaultPodAnnotations: Readonly<Record<string, string>>;
  readonly defaultPodLabels: Readonly<Record<string, string>>;
}

type Kind = 'string' | 'bool' | 'int' | 'number' | 'list' | 'map';
const fields: Record<keyof ConfigFile, [Kind, unknown]> = {
  metricsAddr: ['string', ':8080'],
  probeAddr: ['string', ':8082'],
  enableLeaderElection: ['bool', true],
  leaderElectionNamespace: ['string', ''],
  reconcileConcurrency: ['int', 1],
  watchNamespace: ['string', ''],
  logFile: ['string', ''],
  logFileEncoder: ['string', 'json'],
  logStdoutEncoder: ['string', 'json'],
  batchScheduler: ['string', ''],
  enableBatchScheduler: ['bool', false],
  useKubernetesProxy: ['bool', false],
  enableMetrics: ['bool', false],
  qps: ['number', 100],
  burst: ['int', 200],
  deleteRayJobAfterJobFinishes: ['bool', false],
  headSidecarContainers: ['list', []],
  workerSidecarContainers: ['list', []],
  defaultContainerEnvs: ['list', []],
  defaultPodAnnotations: ['map', {}],
  defaultPodLabels: ['map', {}],
};

function check(name: string, kind: Kind, v: unknown): unknown {
  const bad = (want: string) =>
    new ConfigError(`config file: field ${name}: expected ${want}, got ${JSON.stringify(v)}`);
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw bad('a string');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw bad('a boolean');
      return v;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad('an integer');
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad('a number');
      return v;
    case 'list':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null))
        throw bad('a list of objects');
      return v;
    case 'map':
      if (
        typeof v !== 'object' ||
        v === null ||
        Array.isArray(v) ||
        Object.values(v).some((x) => typeof x !== 'string')
      )
        throw bad('a map of strings');
      return v;
  }
}

/**
 * Parses the YAML (or JSON) text of a Configuration. Wrong apiVersion/kind and wrongly typed fields are
 * errors; unknown fields are ignored (as KubeRay's non-strict decoder does) and reported in `warnings`. The names
 * of the fields the file sets (not defaulted) are added to `present`.
 */
export function parseConfigFile(text: string, warnings: string[] = [], present?: Set<string>): ConfigFile {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (cause) {
    throw new ConfigError(`config file: invalid YAML: ${(cause as Error).message}`, { cause });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ConfigError('config file: expected a Configuration object');
  const obj = doc as Record<string, unknown>;
  if (obj.apiVersion !== 'config.ray.io/v1alpha1')
    throw new ConfigError(
      `config file: apiVersion must be config.ray.io/v1alpha1, got ${JSON.stringify(obj.apiVersion)}`,
    );
  if (obj.kind !== 'Configuration')
    throw new ConfigError(`config file: kind must be Configuration, got ${JSON.stringify(obj.kind)}`);
  const out: Record<string, unknown> = {};
  for (const [name, [kind, dflt]] of Object.entries(fields)) {
    const unset = obj[name] === undefined || obj[name] === null;
    out[name] = unset ? dflt : check(name, kind, obj[name]);
    if (!unset) present?.add(name);
  }
  for (const k of Object.keys(obj))
    if (!(k in fields) && k !== 'apiVersion' && k !== 'kind')
      warnings.push(`config file: unknown field ${k} ignored`);
  // Decoding boundary: `out` holds one checked value per entry of the `fields` table, which lists ConfigFile's
  // fields; the table, not the compiler, ties the two together.
  return out as unknown as ConfigFile;
}
