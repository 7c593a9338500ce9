import type { Container, EnvVar } from '../api/index.ts';
import { parseYaml } from '../api/yaml.ts';
import { ConfigError } from './feature-gates.ts';
import { FLAGS, type FlagValues } from './flags.ts';

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
  /** Checked as a list of objects here; the API server checks each as a Container when a pod is created. */
  readonly headSidecarContainers: readonly Container[];
  readonly workerSidecarContainers: readonly Container[];
  readonly defaultContainerEnvs: readonly EnvVar[];
  readonly defaultPodAnnotations: Readonly<Record<string, string>>;
  readonly defaultPodLabels: Readonly<Record<string, string>>;
}

type Kind = 'string' | 'bool' | 'int' | 'number' | 'list' | 'map';

/**
 * The one table of the Configuration's fields: each field's type and either the operator flag it stands for
 * (its default is that flag's, in FLAGS; without --config the flag's value fills the field) or, for file-only
 * fields, its own default. So every default is written once, and `--help` shows the same ones.
 */
export const CONFIG_FIELDS: Readonly<
  Record<
    keyof ConfigFile,
    { readonly kind: Kind } & ({ readonly flag: string } | { readonly default: unknown })
  >
> = {
  metricsAddr: { kind: 'string', flag: 'metrics-addr' },
  probeAddr: { kind: 'string', flag: 'health-probe-bind-address' },
  enableLeaderElection: { kind: 'bool', flag: 'enable-leader-election' },
  leaderElectionNamespace: { kind: 'string', flag: 'leader-election-namespace' },
  reconcileConcurrency: { kind: 'int', flag: 'reconcile-concurrency' },
  watchNamespace: { kind: 'string', flag: 'watch-namespace' },
  logFile: { kind: 'string', flag: 'log-file-path' },
  logFileEncoder: { kind: 'string', flag: 'log-file-encoder' },
  logStdoutEncoder: { kind: 'string', flag: 'log-stdout-encoder' },
  batchScheduler: { kind: 'string', flag: 'batch-scheduler' },
  enableBatchScheduler: { kind: 'bool', flag: 'enable-batch-scheduler' },
  useKubernetesProxy: { kind: 'bool', flag: 'use-kubernetes-proxy' },
  enableMetrics: { kind: 'bool', flag: 'enable-metrics' },
  qps: { kind: 'number', flag: 'qps' },
  burst: { kind: 'int', flag: 'burst' },
  // Without --config, DELETE_RAYJOB_CR_AFTER_JOB_FINISHES (env) is the only way to turn it on.
  deleteRayJobAfterJobFinishes: { kind: 'bool', default: false },
  headSidecarContainers: { kind: 'list', default: [] },
  workerSidecarContainers: { kind: 'list', default: [] },
  defaultContainerEnvs: { kind: 'list', default: [] },
  defaultPodAnnotations: { kind: 'map', default: {} },
  defaultPodLabels: { kind: 'map', default: {} },
};

const flagDefaults = new Map(FLAGS.map((f) => [f.name, f.default]));

/** Builds a Configuration from one value per CONFIG_FIELDS entry (from the file, or from the flags). */
export function configFromFields(value: (name: keyof ConfigFile) => unknown): ConfigFile {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(CONFIG_FIELDS) as (keyof ConfigFile)[]) out[name] = value(name);
  // Decoding boundary: `out` holds one checked value per entry of CONFIG_FIELDS, which lists ConfigFile's
  // fields; the table, not the compiler, ties the two together.
  return out as unknown as ConfigFile;
}

/** A field's value from the flags (defaulted), or its file-only default. */
export function fieldFromFlags(name: keyof ConfigFile, flags: FlagValues): unknown {
  const f = CONFIG_FIELDS[name];
  if ('flag' in f) {
    if (!flagDefaults.has(f.flag)) throw new Error(`config field ${name}: no flag --${f.flag}`);
    return flags[f.flag] ?? flagDefaults.get(f.flag);
  }
  return structuredClone(f.default);
}

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
    doc = parseYaml(text);
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
  for (const k of Object.keys(obj))
    if (!(k in CONFIG_FIELDS) && k !== 'apiVersion' && k !== 'kind')
      warnings.push(`config file: unknown field ${k} ignored`);
  return configFromFields((name) => {
    const v = obj[name];
    if (v === undefined || v === null) return fieldFromFlags(name, {});
    present?.add(name);
    return check(name, CONFIG_FIELDS[name].kind, v);
  });
}
