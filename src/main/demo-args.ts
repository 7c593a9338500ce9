/**
 * The arguments of `scripts/demo`: its own options, `--feature-gates`, and operator flags after `--`. Pure, so
 * a bad operator flag or gate is reported before anything starts (with the operator's own message).
 */
import { parseArgs } from 'node:util';
import { parseFeatureGates } from '../config/feature-gates.ts';
import { parseFlags } from '../config/flags.ts';

interface DemoArgs {
  readonly command: string;
  readonly help: boolean;
  readonly sample: string | undefined;
  readonly timeout: number;
  readonly wait: boolean;
  /** Extra flags for the operator the demo starts (`--feature-gates=...` and everything after `--`). */
  readonly operatorArgs: readonly string[];
  /** Run the operator as the kuberay-operator chart's Deployment on the local node instead of on the host. */
  readonly inCluster: boolean;
}

type DemoArgsResult =
  | { readonly ok: true; readonly args: DemoArgs }
  | { readonly ok: false; readonly error: string };

/** Flags the demo sets itself for the host-process operator; passing them again would contradict it. */
const demoOwned = ['kubeconfig', 'metrics-addr', 'health-probe-bind-address'];

export function parseDemoArgs(argv: readonly string[]): DemoArgsResult {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const passthrough = dash < 0 ? [] : argv.slice(dash + 1);
  let parsed: ReturnType<typeof parseOwn>;
  try {
    parsed = parseOwn(own);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const { values, positionals } = parsed;
  const timeout = Number(values.timeout ?? '900');
  if (!Number.isFinite(timeout) || timeout <= 0)
    return { ok: false, error: `--timeout: expected a positive number of seconds, got '${values.timeout}'` };
  const operatorArgs = [
    ...(values['feature-gates'] !== undefined ? [`--feature-gates=${values['feature-gates']}`] : []),
    ...passthrough,
  ];
  try {
    const flags = parseFlags(operatorArgs);
    const owned = demoOwned.filter((f) => flags.set.has(f));
    if (owned.length > 0)
      return {
        ok: false,
        error: `operator flag -${owned[0]} is set by scripts/demo itself and cannot be passed`,
      };
    const stray = operatorArgs.find((a, i) => !a.startsWith('-') && !isFlagValue(operatorArgs, i));
    if (stray !== undefined)
      return { ok: false, error: `operator arguments: unexpected argument '${stray}'` };
    parseFeatureGates(String(flags.values['feature-gates'] ?? ''));
  } catch (err) {
    return { ok: false, error: `operator flags: ${err instanceof Error ? err.message : String(err)}` };
  }
  const inCluster = values['in-cluster'] === true;
  if (inCluster && passthrough.length > 0)
    return {
      ok: false,
      error:
        'operator flags after -- are for the host operator; with --in-cluster the chart sets the flags (its values: charts/kuberay-operator/values.yaml), and --feature-gates is passed as its featureGates',
    };
  return {
    ok: true,
    args: {
      command: positionals[0] ?? 'up',
      help: values.help === true,
      sample: values.sample,
      timeout,
      wait: values['no-wait'] !== true,
      operatorArgs,
      inCluster,
    },
  };
}

/**
 * The chart's `featureGates` list with `--feature-gates` applied (`A=true,B=false`): a named gate changes in
 * place, a new one is appended. The gates were checked by parseDemoArgs.
 */
export function chartFeatureGates(
  defaults: readonly { name: string; enabled: boolean }[],
  gates: string,
): { name: string; enabled: boolean }[] {
  const out = defaults.map((g) => ({ ...g }));
  for (const part of gates.split(',').filter((p) => p.trim() !== '')) {
    const [name, value] = part.split('=').map((x) => x.trim()) as [string, string];
    const enabled = value.toLowerCase() === 'true';
    const found = out.find((g) => g.name === name);
    if (found) found.enabled = enabled;
    else out.push({ name, enabled });
  }
  return out;
}

function parseOwn(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      sample: { type: 'string' },
      timeout: { type: 'string' },
      'no-wait': { type: 'boolean' },
      'feature-gates': { type: 'string' },
      'in-cluster': { type: 'boolean' },
    },
  });
}

/** Whether argv[i] is the separate value of the flag before it (`--name value`). */
function isFlagValue(argv: readonly string[], i: number): boolean {
  const prev = argv[i - 1];
  return !!prev?.startsWith('-') && !prev.includes('=') && !isBoolFlag(prev);
}

function isBoolFlag(arg: string): boolean {
  try {
    const name = arg.replace(/^--?/, '');
    return typeof parseFlags([`--${name}=true`]).values[name] === 'boolean';
  } catch {
    return false;
  }
}
