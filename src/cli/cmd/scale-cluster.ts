/** `kubectl ray scale cluster NAME -w GROUP [-r N] [--min-replicas N] [--max-replicas N]`. */
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { CliError, wrap } from '../errors.ts';
import { num, str } from '../flags.ts';
import { connect } from '../kube.ts';
import type { RayCluster, WorkerGroup } from '../objects.ts';

export interface ScaleRequest {
  readonly replicas?: number;
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
}

/** The values asked for; a flag left at its default (-1) is not asked for, an explicit negative is an error. */
export function scaleRequest(inv: Invocation): ScaleRequest {
  const out: Record<string, number> = {};
  for (const [flag, key, label] of [
    ['replicas', 'replicas', '-r/--replicas'],
    ['min-replicas', 'minReplicas', '--min-replicas'],
    ['max-replicas', 'maxReplicas', '--max-replicas'],
  ] as const) {
    const v = num(inv.args, flag);
    if (inv.args.set.has(flag) && v < 0)
      throw new CliError(`${label} must be a non-negative integer, got ${v}`);
    if (v >= 0) out[key] = v;
  }
  if (Object.keys(out).length === 0)
    throw new CliError(
      'must specify -r/--replicas, --min-replicas or --max-replicas with a non-negative integer',
    );
  return out;
}

/** Checks the group's resulting min <= replicas <= max; returns the messages of what changes. */
export function applyScale(group: WorkerGroup, req: ScaleRequest, where: string): string[] {
  const min = req.minReplicas ?? group.minReplicas ?? 0;
  const max = req.maxReplicas ?? group.maxReplicas ?? 2_147_483_647;
  const replicas = req.replicas ?? group.replicas ?? 0;
  if (min > max)
    throw new CliError(
      `min replicas (${min}) must not be greater than max replicas (${max}) for worker group ${where}`,
    );
  if (req.replicas !== undefined && (replicas < min || replicas > max))
    throw new CliError(
      `replicas (${replicas}) must be between min replicas (${min}) and max replicas (${max}) for worker group ${where}`,
    );
  const changes: string[] = [];
  const fields = [
    ['replicas', 'replicas', req.replicas],
    ['minReplicas', 'min replicas', req.minReplicas],
    ['maxReplicas', 'max replicas', req.maxReplicas],
  ] as const;
  for (const [key, label, value] of fields) {
    if (value === undefined) continue;
    const before = group[key];
    if (before === value) continue;
    changes.push(`Scaled worker group ${where} from ${before ?? 0} to ${value} ${label}`);
    group[key] = value;
  }
  return changes;
}

export async function scaleCluster(inv: Invocation): Promise<RunResult> {
  const groupName = str(inv.args, 'worker-group');
  if (!groupName) throw new CliError('must specify -w/--worker-group');
  const req = scaleRequest(inv);
  const kube = connect(inv);
  try {
    const ns = kube.namespace;
    const name = inv.args.positional[0]!;
    const fail = (e: unknown) =>
      wrap(`failed to scale worker group ${groupName} in Ray cluster ${name} in namespace ${ns}`, e);
    const cluster = await kube.client.get<RayCluster>(Resources.rayClusters, ns, name).catch((e: unknown) => {
      throw fail(e);
    });
    const groups = cluster.spec?.workerGroupSpecs ?? [];
    const group = groups.find((g) => g.groupName === groupName);
    if (!group)
      throw new CliError(
        `worker group ${groupName} not found in Ray cluster ${name} in namespace ${ns}. Available worker groups: ${groups.map((g) => g.groupName).join(', ')}`,
      );
    const where = `${groupName} in Ray cluster ${name} in namespace ${ns}`;
    const changes = applyScale(group, req, where);
    if (changes.length === 0) {
      const what = req.replicas !== undefined ? `${req.replicas} replicas` : 'these replica bounds';
      inv.io.out.write(`worker group ${where} already has ${what}. Skipping\n`);
      return 0;
    }
    await kube.client.update(Resources.rayClusters, cluster).catch((e: unknown) => {
      throw fail(e);
    });
    for (const c of changes) inv.io.out.write(`${c}\n`);
    return 0;
  } finally {
    kube.close();
  }
}
