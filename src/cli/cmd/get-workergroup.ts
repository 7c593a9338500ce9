/** `kubectl ray get workergroup [GROUP]`: each worker group with its min/max, ready/desired replicas and totals. */
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { CliError, wrap } from '../errors.ts';
import { runListing } from '../listing.ts';
import {
  formatOr0,
  isRunningAndReady,
  type Pod,
  type RayCluster,
  resourceCells,
  resourceHeaders,
  type WorkerGroup,
  workerGroupResources,
} from '../objects.ts';
import { notFoundMessage } from './get-node.ts';

export interface WorkerGroupRow {
  readonly namespace: string;
  readonly cluster: string;
  readonly group: WorkerGroup;
  readonly readyReplicas: number;
}

export function workerGroupHeaders(all: boolean): string[] {
  return [...(all ? ['Namespace'] : []), 'Name', 'Min', 'Max', 'Replicas', ...resourceHeaders, 'Cluster'];
}

export function workerGroupRow(r: WorkerGroupRow, all: boolean): string[] {
  const res = workerGroupResources(r.group);
  return [
    ...(all ? [r.namespace] : []),
    r.group.groupName,
    String(r.group.minReplicas ?? 0),
    String(r.group.maxReplicas ?? 2_147_483_647),
    `${r.readyReplicas}/${r.group.replicas ?? 0}`,
    ...resourceCells((r) => formatOr0(res.get(r))),
    r.cluster,
  ];
}

export function getWorkerGroups(inv: Invocation): Promise<RunResult> {
  return runListing(inv, async ({ kube, all, namespace, cluster, name: wanted, print }) => {
    let clusters: RayCluster[];
    try {
      clusters = (
        await kube.client.list<RayCluster>(Resources.rayClusters, {
          namespace,
          fieldSelector: cluster ? { 'metadata.name': cluster } : undefined,
        })
      ).items;
    } catch (e) {
      throw wrap(
        cluster
          ? `unable to get Ray cluster ${cluster} in namespace ${kube.namespace}`
          : `unable to list Ray clusters in namespace ${kube.namespace}`,
        e,
      );
    }
    const groups = clusters.flatMap((c) =>
      (c.spec?.workerGroupSpecs ?? [])
        .filter((g) => !wanted || g.groupName === wanted)
        .map((g) => ({ c, g })),
    );
    if (wanted && groups.length === 0)
      throw new CliError(notFoundMessage('Ray worker group', wanted, cluster, kube.namespace, all));
    const rows: WorkerGroupRow[] = [];
    for (const { c, g } of groups) {
      const pods = await kube.client.list<Pod>(Resources.pods, {
        namespace: c.metadata.namespace,
        labelSelector: {
          'ray.io/node-type': 'worker',
          'ray.io/group': g.groupName,
          'ray.io/cluster': c.metadata.name ?? '',
        },
      });
      rows.push({
        namespace: c.metadata.namespace ?? '',
        cluster: c.metadata.name ?? '',
        group: g,
        readyReplicas: pods.items.filter(isRunningAndReady).length,
      });
    }
    await print(rows, {
      asObject: (r) => ({
        namespace: r.namespace,
        cluster: r.cluster,
        readyReplicas: r.readyReplicas,
        ...r.group,
      }),
      headers: workerGroupHeaders(all),
      row: (r) => workerGroupRow(r, all),
    });
  });
}
