/**
 * Copies the generated CRDs (config/crd/bases/*.yaml) into the kuberay-operator chart
 * (charts/kuberay-operator/files/crds/), byte for byte, and removes chart copies whose source is gone.
 * The chart's templates/crds.yaml renders these files, so the chart never holds a hand-edited CRD.
 *
 *   node scripts/sync-chart-crds.ts           write the copies
 *   node scripts/sync-chart-crds.ts --check   exit 1 if the copies differ from config/crd/bases
 *
 * When config/crd/bases does not exist or holds no YAML yet ("no CRDs generated yet"), nothing is written,
 * and --check passes only if the chart holds no copies either.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..');
export const sourceDir = join(repoRoot, 'config', 'crd', 'bases');
export const chartCrdDir = join(repoRoot, 'charts', 'kuberay-operator', 'files', 'crds');

export interface SyncPlan {
  /** Files to write (missing from the chart or different). */
  readonly write: readonly string[];
  /** Chart copies without a source file. */
  readonly remove: readonly string[];
  readonly unchanged: readonly string[];
  /** True when there is no generated CRD at all. */
  readonly noSource: boolean;
}

/** Compares source and chart files (name -> content); pure. */
export function planSync(source: ReadonlyMap<string, string>, chart: ReadonlyMap<string, string>): SyncPlan {
  const write: string[] = [];
  const unchanged: string[] = [];
  for (const [name, content] of [...source].sort(([a], [b]) => a.localeCompare(b))) {
    if (chart.get(name) === content) unchanged.push(name);
    else write.push(name);
  }
  const remove = [...chart.keys()].filter((n) => !source.has(n)).sort();
  return { write, remove, unchanged, noSource: source.size === 0 };
}

export function isInSync(plan: SyncPlan): boolean {
  return plan.write.length === 0 && plan.remove.length === 0;
}

/** Reads every *.yaml file of a folder (an absent folder reads as empty). */
export function readYamlDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.yaml') || name.endsWith('.yml')) out.set(name, readFileSync(join(dir, name), 'utf8'));
  }
  return out;
}

export function applySync(plan: SyncPlan, source: ReadonlyMap<string, string>, dir = chartCrdDir): void {
  mkdirSync(dir, { recursive: true });
  for (const name of plan.write) writeFileSync(join(dir, name), source.get(name) ?? '');
  for (const name of plan.remove) rmSync(join(dir, name));
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const source = readYamlDir(sourceDir);
  const plan = planSync(source, readYamlDir(chartCrdDir));
  if (plan.noSource) console.log(`no CRDs generated yet: ${sourceDir} has no YAML files`);
  if (check) {
    if (isInSync(plan)) {
      console.log(`chart CRDs are in sync (${plan.unchanged.length} files)`);
      return 0;
    }
    for (const n of plan.write) console.error(`out of date: charts/kuberay-operator/files/crds/${n}`);
    for (const n of plan.remove) console.error(`stale (no source): charts/kuberay-operator/files/crds/${n}`);
    console.error('run: node scripts/sync-chart-crds.ts');
    return 1;
  }
  applySync(plan, source);
  console.log(
    `chart CRDs: ${plan.write.length} written, ${plan.remove.length} removed, ${plan.unchanged.length} unchanged`,
  );
  return 0;
}

if (import.meta.main) process.exit(main(process.argv.slice(2)));
