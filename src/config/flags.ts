import { ConfigError, parseGoBool } from './feature-gates.ts';

type FlagKind = 'bool' | 'string' | 'int' | 'float';

export interface FlagDef {
  readonly name: string;
  readonly kind: FlagKind;
  readonly default: string | number | boolean;
  readonly help: string;
}

/** Every flag of KubeRay's operator binary (plus controller-runtime's --kubeconfig and zap flags). */
export const FLAGS: readonly FlagDef[] = [
  {
    name: 'metrics-addr',
    kind: 'string',
    default: ':8080',
    help: 'The address the metric endpoint binds to.',
  },
  {
    name: 'health-probe-bind-address',
    kind: 'string',
    default: ':8082',
    help: 'The address the probe endpoint binds to.',
  },
  {
    name: 'enable-leader-election',
    kind: 'bool',
    default: true,
    help: 'Enable leader election for controller manager. Enabling this will ensure there is only one active controller manager.',
  },
  {
    name: 'leader-election-namespace',
    kind: 'string',
    default: '',
    help: 'Namespace of the leader election Lease (default: the namespace the operator runs in).',
  },
  { name: 'reconcile-concurrency', kind: 'int', default: 1, help: 'max concurrency for reconciling' },
  {
    name: 'watch-namespace',
    kind: 'string',
    default: '',
    help: 'Specify a list of namespaces to watch for custom resources, separated by commas. If empty, all namespaces will be watched.',
  },
  {
    name: 'forced-cluster-upgrade',
    kind: 'bool',
    default: false,
    help: 'Forced cluster upgrade flag (deprecated, has no effect)',
  },
  { name: 'log-file-path', kind: 'string', default: '', help: 'Synchronize logs to local file' },
  {
    name: 'log-file-encoder',
    kind: 'string',
    default: 'json',
    help: "Encoder to use for log file. Valid values are 'json' and 'console'.",
  },
  {
    name: 'log-stdout-encoder',
    kind: 'string',
    default: 'json',
    help: "Encoder to use for logging stdout. Valid values are 'json' and 'console'.",
  },
  {
    name: 'enable-batch-scheduler',
    kind: 'bool',
    default: false,
    help: '(Deprecated) Enable batch scheduler. Currently is volcano, which supports gang scheduler policy. Please use --batch-scheduler instead.',
  },
  {
    name: 'batch-scheduler',
    kind: 'string',
    default: '',
    help: 'Batch scheduler name, supported values are volcano, yunikorn and kai-scheduler.',
  },
  {
    name: 'config',
    kind: 'string',
    default: '',
    help: 'Path to structured config file. Flags are ignored if config file is set.',
  },
  {
    name: 'use-kubernetes-proxy',
    kind: 'bool',
    default: false,
    help: 'Use Kubernetes proxy subresource when connecting to the Ray Head node.',
  },
  {
    name: 'feature-gates',
    kind: 'string',
    default: '',
    help: 'A set of key=value pairs that describe feature gates. E.g. FeatureOne=true,FeatureTwo=false,...',
  },
  {
    name: 'enable-metrics',
    kind: 'bool',
    default: false,
    help: 'Enable the emission of control plane metrics.',
  },
  {
    name: 'qps',
    kind: 'float',
    default: 100,
    help: 'The QPS value for the client communicating with the Kubernetes API server.',
  },
  {
    name: 'burst',
    kind: 'int',
    default: 200,
    help: 'The maximum burst for throttling requests from this client to the Kubernetes API server.',
  },
  {
    name: 'kubeconfig',
    kind: 'string',
    default: '',
    help: 'Paths to a kubeconfig. Only required if out-of-cluster.',
  },
  {
    name: 'zap-devel',
    kind: 'bool',
    default: false,
    help: 'Development Mode defaults (encoder=consoleEncoder, logLevel=Debug, stackTraceLevel=Warn).',
  },
  { name: 'zap-encoder', kind: 'string', default: '', help: "Zap log encoding (one of 'json' or 'console')" },
  {
    name: 'zap-log-level',
    kind: 'string',
    default: 'info',
    help: "Zap Level to configure the verbosity of logging. Can be one of 'debug', 'info', 'error', 'panic' or any integer value > 0.",
  },
  {
    name: 'zap-stacktrace-level',
    kind: 'string',
    default: 'error',
    help: "Zap Level at and above which stacktraces are captured (one of 'info', 'error', 'panic').",
  },
  {
    name: 'zap-time-encoding',
    kind: 'string',
    default: 'epoch',
    help: "Zap time encoding (one of 'epoch', 'millis', 'nano', 'iso8601', 'rfc3339' or 'rfc3339nano').",
  },
];

export type FlagValues = Readonly<Record<string, string | number | boolean>>;

interface ParsedFlags {
  /** Every flag, defaulted. */
  readonly values: FlagValues;
  /** Names of the flags given on the command line. */
  readonly set: ReadonlySet<string>;
  readonly help: boolean;
}

function convert(def: FlagDef, raw: string): string | number | boolean {
  if (def.kind === 'bool') {
    const b = parseGoBool(raw);
    if (b === undefined)
      throw new ConfigError(`invalid boolean value "${raw}" for -${def.name}: parse error`);
    return b;
  }
  if (def.kind === 'int') {
    if (!/^[-+]?\d+$/.test(raw.trim()))
      throw new ConfigError(`invalid value "${raw}" for flag -${def.name}: parse error`);
    return Number(raw);
  }
  if (def.kind === 'float') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw new ConfigError(`invalid value "${raw}" for flag -${def.name}: parse error`);
    return n;
  }
  return raw;
}

/**
 * Parses arguments with Go's flag rules: `-name`, `--name`, `--name=value`, `--name value`; a bool flag takes
 * no separate value (`--flag=false`). Parsing stops at `--` or the first non-flag argument.
 */
export function parseFlags(argv: readonly string[]): ParsedFlags {
  return parseFlagsWith(FLAGS, argv);
}

/** `parseFlags` over another program's flag table (the API server's). */
export function parseFlagsWith(defs: readonly FlagDef[], argv: readonly string[]): ParsedFlags {
  const byName = new Map(defs.map((f) => [f.name, f]));
  const values: Record<string, string | number | boolean> = Object.fromEntries(
    defs.map((f) => [f.name, f.default]),
  );
  const set = new Set<string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--' || !arg.startsWith('-') || arg === '-') break;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (name === 'help' || name === 'h') {
      help = true;
      continue;
    }
    const def = byName.get(name);
    if (!def) throw new ConfigError(`flag provided but not defined: -${name}`);
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (def.kind === 'bool') raw = 'true';
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new ConfigError(`flag needs an argument: -${name}`);
      raw = next;
      i++;
    }
    values[name] = convert(def, raw);
    set.add(name);
  }
  return { values, set, help };
}

/** The `--help` text. */
export function helpText(program = 'kuberay-operator'): string {
  return helpTextWith(program, FLAGS, [
    'Environment variables and the config file (config.ray.io/v1alpha1 Configuration) are described in docs/configuration.md.',
  ]);
}

/** The `--help` text of a flag table, with `footer` lines after a blank line. */
export function helpTextWith(program: string, defs: readonly FlagDef[], footer: readonly string[]): string {
  const lines = [`Usage of ${program}:`];
  for (const f of defs) {
    const type = f.kind === 'bool' ? '' : ` ${f.kind === 'float' ? 'float' : f.kind}`;
    const def = f.default === '' || f.default === false ? '' : ` (default ${JSON.stringify(f.default)})`;
    lines.push(`  --${f.name}${type}`, `    \t${f.help}${def}`);
  }
  lines.push('', ...footer);
  return `${lines.join('\n')}\n`;
}
