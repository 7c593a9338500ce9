import { defaultFeatureGates, FEATURE_GATES, type FeatureGates } from '../api/feature-gates.ts';
import { KuberayError } from '../lib/errors.ts';

export class ConfigError extends KuberayError {}

export {
  defaultFeatureGates,
  FEATURE_GATES,
  type FeatureGate,
  type FeatureGates,
} from '../api/feature-gates.ts';

/** Go's strconv.ParseBool. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Parses `--feature-gates=A=true,B=false` onto the defaults. Unknown gates and bad values are errors. */
export function parseFeatureGates(spec: string): FeatureGates {
  const gates: Record<string, boolean> = { ...defaultFeatureGates() };
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq < 0)
      throw new ConfigError(`--feature-gates: missing bool value for ${item} (want Name=true|false)`);
    const name = item.slice(0, eq).trim();
    const value = parseGoBool(item.slice(eq + 1).trim());
    if (!Object.hasOwn(FEATURE_GATES, name))
      throw new ConfigError(
        `--feature-gates: unrecognized feature gate: ${name} (known: ${Object.keys(FEATURE_GATES).join(', ')})`,
      );
    if (value === undefined)
      throw new ConfigError(
        `--feature-gates: invalid value of ${name}: ${item.slice(eq + 1)}, err: want true or false`,
      );
    gates[name] = value;
  }
  return gates as FeatureGates;
}
