/** `kubectl ray create workergroup GROUP -c CLUSTER`: append a worker group to an existing RayCluster. */
import { goQuantityString } from '../../api/go-quantity.ts';
import { parseQuantity } from '../../builders/common/quantity.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { CliError, wrap } from '../errors.ts';
import { map, num, str, UsageError } from '../flags.ts';
import { validateQuantity, validateTpu } from '../generate.ts';
import { connect, FIELD_MANAGER } from '../kube.ts';
import { GPU, type RayCluster, TPU, type WorkerGroup } from '../objects.ts';
import { resolveImage } from './create-cluster.ts';

/** The worker group KubeRay's plugin adds: requests and limits of cpu and memory (+ GPU/TPU when non-zero). */
export function workerGroupSpec(inv: Invocation, groupName: string): WorkerGroup {
  const a = inv.args;
  const res: Record<string, string> = {
    cpu: goQuantityString(str(a, 'worker-cpu')),
    memory: goQuantityString(str(a, 'worker-memory')),
  };
  for (const [flag, key] of [
    ['worker-gpu', GPU],
    ['worker-tpu', TPU],
  ] as const) {
    const q = parseQuantity(str(a, flag));
    if (q && q.milli !== 0n) res[key] = goQuantityString(str(a, flag));
  }
  const selectors = map(a, 'worker-node-selectors');
  return {
    groupName,
    replicas: num(a, 'worker-replicas'),
    numOfHosts: num(a, 'num-of-hosts'),
    minReplicas: num(a, 'worker-min-replicas'),
    maxReplicas: num(a, 'worker-max-replicas'),
    rayStartParams: map(a, 'worker-ray-start-params'),
    template: {
      spec: {
        containers: [
          {
            name: 'ray-worker',
            image: resolveImage(inv),
            resources: { requests: { ...res }, limits: { ...res } },
          },
        ],
        ...(Object.keys(selectors).length ? { nodeSelector: selectors } : {}),
      },
    },
  };
}

export async function createWorkerGroup(inv: Invocation): Promise<RunResult> {
  const a = inv.args;
  const group = a.positional[0];
  if (!group) throw new UsageError('workergroup (WORKERGROUP): a worker group name is required');
  const clusterName = str(a, 'ray-cluster');
  if (!clusterName) throw new UsageError('required flag(s) "ray-cluster" not set');
  for (const f of ['worker-cpu', 'worker-gpu', 'worker-tpu', 'worker-memory']) validateQuantity(str(a, f), f);
  validateTpu(str(a, 'worker-tpu'), map(a, 'worker-node-selectors'), '--worker-tpu');
  const [replicas, min, max] = [
    num(a, 'worker-replicas'),
    num(a, 'worker-min-replicas'),
    num(a, 'worker-max-replicas'),
  ];
  if (replicas < 0 || min < 0 || max < 0)
    throw new CliError(
      '--worker-replicas, --worker-min-replicas and --worker-max-replicas must be non-negative',
    );
  if (min > max)
    throw new CliError(
      `--worker-min-replicas (${min}) must not be greater than --worker-max-replicas (${max})`,
    );
  const kube = connect(inv);
  try {
    const ns = kube.namespace;
    const cluster = await kube.client
      .get<RayCluster>(Resources.rayClusters, ns, clusterName)
      .catch((e: unknown) => {
        throw wrap('error getting Ray cluster', e);
      });
    const groups = cluster.spec?.workerGroupSpecs ?? [];
    if (groups.some((g) => g.groupName === group))
      throw new CliError(`worker group ${group} already exists in Ray cluster ${ns}/${clusterName}`);
    const updated: RayCluster = {
      ...cluster,
      spec: { ...cluster.spec, workerGroupSpecs: [...groups, workerGroupSpec(inv, group)] },
    };
    const result = await kube.client
      .update(Resources.rayClusters, updated, { fieldManager: FIELD_MANAGER })
      .catch((e: unknown) => {
        throw wrap('error updating Ray cluster with new worker group', e);
      });
    inv.io.out.write(
      `Updated Ray cluster ${result.metadata.namespace}/${result.metadata.name} with new worker group\n`,
    );
    return 0;
  } finally {
    kube.close();
  }
}
