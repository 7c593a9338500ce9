import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  type LeaderElectionTimings,
  leaderIdentity,
  type OperatorEnv,
  parseEnv,
  parseLeaderElectionTimings,
  parseWatchIdleTimeout,
} from './env.ts';
import { ConfigError, type FeatureGates, parseFeatureGates } from './feature-gates.ts';
import { type ConfigFile, configFromFields, fieldFromFlags, parseConfigFile } from './file.ts';
import { type FlagValues, helpText, parseFlags } from './flags.ts';

type Encoder = 'json' | 'console';
type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Batch schedulers KubeRay accepts for --batch-scheduler. */
const BATCH_SCHEDULERS = ['volcano', 'yunikorn', 'kai-scheduler', 'scheduler-plugins'] as const;

/** The operator's whole configuration, read once at start and deeply frozen. */
export interface OperatorConfig extends Omit<ConfigFile, 'watchNamespace'> {
  /** --config path ('' when configured by flags). */
  readonly configFile: string;
  /** --kubeconfig ('' = KUBECONFIG env or in-cluster). */
  readonly kubeconfig: string;
  /** --watch-namespace split on commas; empty = all namespaces. */
  readonly watchNamespaces: readonly string[];
  readonly forcedClusterUpgrade: boolean;
  readonly featureGates: FeatureGates;
  readonly env: OperatorEnv;
  readonly leaderElection: LeaderElectionTimings;
  /**
   * The identity the operator campaigns for the Lease with and names its Events' instance by: `<hostname>_<pod
   * UID>` with KUBERAY_POD_UID, else `<hostname>_<random UUID>` (`leaderIdentity`, env.ts).
   */
  readonly leaderIdentity: string;
  /** Test-only (KUBERAY_TS_WATCH_IDLE_TIMEOUT): the informers' watch idle timeout; undefined = their default. */
  readonly watchIdleTimeoutMs: number | undefined;
  /**
   * The client rate limit adapts to the API server (src/k8s/adaptive-rate.ts, decision 11) when neither qps nor
   * burst is set by a flag or the config file; a value that is set is a fixed limit, as in KubeRay.
   */
  readonly adaptiveRateLimit: boolean;
  readonly logging: {
    readonly level: LogLevel;
    readonly stdoutEncoder: Encoder;
    readonly fileEncoder: Encoder;
    readonly file: string;
  };
}

type ConfigResult =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'config'; readonly config: OperatorConfig; readonly warnings: readonly string[] };

interface ConfigInputs {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads the --config file (given by the composition root; tests pass a fake). */
  readonly readFile: (path: string) => string;
  /** The host name of the leader identity (default: the machine's, os.hostname()). */
  readonly hostname?: string;
  /** The random suffix of the leader identity without KUBERAY_POD_UID (default: crypto.randomUUID). */
  readonly randomId?: () => string;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function encoder(v: unknown, name: string): Encoder {
  if (v === 'json' || v === 'console') return v;
  throw new ConfigError(`${name}: must be 'json' or 'console', got ${JSON.stringify(v)}`);
}

function zapLevel(values: FlagValues): LogLevel {
  const raw = String(values['zap-log-level']);
  if (values['zap-devel'] === true && raw === 'info') return 'debug';
  if (raw === 'debug' || raw === 'info' || raw === 'error') return raw;
  if (raw === 'panic') return 'error';
  if (/^\d+$/.test(raw) && Number(raw) > 0) return 'debug';
  throw new ConfigError(
    `--zap-log-level: invalid level '${raw}' (debug, info, error, panic or an integer > 0)`,
  );
}

/** The Configuration the flags describe (defaults where a flag is not given); see CONFIG_FIELDS. */
function fromFlags(v: FlagValues): ConfigFile {
  return configFromFields((name) => fieldFromFlags(name, v));
}

/** Flags that still apply in --config mode (KubeRay builds logging from flags and reads gates from flags only). */
const ALWAYS_FROM_FLAGS = new Set([
  'config',
  'log-file-encoder',
  'log-stdout-encoder',
  'feature-gates',
  'kubeconfig',
]);

/**
 * Builds the configuration the way KubeRay's main.go does: with --config, the file gives every setting and other
 * flags are ignored (a warning names them), except the log encoders, --feature-gates and --kubeconfig; without
 * it, flags (then defaults). Environment variables apply in both modes.
 */
export function buildConfig(inputs: ConfigInputs): ConfigResult {
  const flags = parseFlags(inputs.argv);
  if (flags.help) return { kind: 'help', text: helpText() };
  const warnings: string[] = [];
  const v = flags.values;
  const configFile = String(v.config);
  let base: ConfigFile;
  let rateLimitSet: boolean;
  if (configFile) {
    let text: string;
    try {
      text = inputs.readFile(configFile);
    } catch (cause) {
      throw new ConfigError(`--config: cannot read ${configFile}: ${(cause as Error).message}`, { cause });
    }
    const present = new Set<string>();
    base = parseConfigFile(text, warnings, present);
    rateLimitSet = present.has('qps') || present.has('burst');
    const ignored = [...flags.set].filter((f) => !ALWAYS_FROM_FLAGS.has(f) && !f.startsWith('zap-'));
    if (ignored.length)
      warnings.push(
        `--config is set, so these flags are ignored: ${ignored.map((f) => `--${f}`).join(', ')}`,
      );
  } else {
    base = fromFlags(v);
    rateLimitSet = flags.set.has('qps') || flags.set.has('burst');
  }
  const featureGates = parseFeatureGates(String(v['feature-gates']));
  if (base.enableBatchScheduler && base.batchScheduler)
    throw new ConfigError(
      'both feature flags enable-batch-scheduler (deprecated) and batch-scheduler are set. Please use batch-scheduler only',
    );
  const batchScheduler = base.enableBatchScheduler ? 'volcano' : base.batchScheduler;
  if (batchScheduler && !(BATCH_SCHEDULERS as readonly string[]).includes(batchScheduler))
    throw new ConfigError(
      `batch-scheduler: scheduler is not supported, name=${batchScheduler} (supported: ${BATCH_SCHEDULERS.join(', ')})`,
    );
  if (featureGates.KubernetesWAS && batchScheduler)
    throw new ConfigError('feature gate KubernetesWAS cannot be used together with batch-scheduler');
  if (!(base.qps > 0)) throw new ConfigError(`qps: must be > 0, got ${base.qps}`);
  if (!(base.burst >= 1)) throw new ConfigError(`burst: must be >= 1, got ${base.burst}`);
  let reconcileConcurrency = base.reconcileConcurrency;
  if (reconcileConcurrency < 1) {
    warnings.push(`reconcile-concurrency ${reconcileConcurrency} is not positive; using 1`);
    reconcileConcurrency = 1;
  }
  if (v['forced-cluster-upgrade'] === true)
    warnings.push('--forced-cluster-upgrade is deprecated and has no effect');
  const env = parseEnv(inputs.env, warnings);
  const stdoutEncoder = encoder(v['log-stdout-encoder'], '--log-stdout-encoder');
  const fileEncoder = encoder(v['log-file-encoder'], '--log-file-encoder');
  const { watchNamespace, ...rest } = base;
  const config: OperatorConfig = {
    ...rest,
    reconcileConcurrency,
    batchScheduler,
    configFile,
    kubeconfig: String(v.kubeconfig),
    watchNamespaces: watchNamespace
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    forcedClusterUpgrade: v['forced-cluster-upgrade'] === true,
    deleteRayJobAfterJobFinishes: base.deleteRayJobAfterJobFinishes || env.deleteRayJobCRAfterJobFinishes,
    featureGates,
    env,
    leaderElection: parseLeaderElectionTimings(inputs.env),
    leaderIdentity: leaderIdentity(inputs.env, inputs.hostname ?? hostname(), inputs.randomId ?? randomUUID),
    watchIdleTimeoutMs: parseWatchIdleTimeout(inputs.env),
    adaptiveRateLimit: !rateLimitSet,
    logging: { level: zapLevel(v), stdoutEncoder, fileEncoder, file: base.logFile },
  };
  return { kind: 'config', config: deepFreeze(config), warnings };
}
export { ConfigError } from './feature-gates.ts';
