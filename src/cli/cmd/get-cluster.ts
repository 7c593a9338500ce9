/** `kubectl ray get cluster [NAME]`: KubeRay's table of RayClusters, or `-o json|yaml`. */
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { CliError, wrap } from '../errors.ts';
import { runListing } from '../listing.ts';
import { quantityText, type RayCluster, relevantCondition, resourceHeaders } from '../objects.ts';
import { age } from '../table.ts';

export const clusterHeaders = [
  'Name',
  'Namespace',
  'Desired Workers',
  'Available Workers',
  ...resourceHeaders,
  'Condition',
  'Status',
  'Age',
];

export function clusterRow(c: RayCluster, now: number): string[] {
  const s = c.status ?? {};
  return [
    c.metadata.name ?? '',
    c.metadata.namespace ?? '',
    String(s.desiredWorkerReplicas ?? 0),
    String(s.availableWorkerReplicas ?? 0),
    quantityText(s.desiredCPU),
    quantityText(s.desiredGPU),
    quantityText(s.desiredTPU),
    quantityText(s.desiredMemory),
    relevantCondition(c)?.type ?? '',
    s.state ?? '',
    age(c.metadata.creationTimestamp, now),
  ];
}

export function getCluster(inv: Invocation): Promise<RunResult> {
  return runListing(inv, async ({ kube, all, namespace, name, print }) => {
    let items: RayCluster[];
    try {
      const list = await kube.client.list<RayCluster>(Resources.rayClusters, {
        namespace,
        fieldSelector: name ? { 'metadata.name': name } : undefined,
      });
      items = list.items;
    } catch (e) {
      throw wrap(
        all
          ? 'unable to retrieve Ray clusters for all namespaces'
          : `unable to retrieve Ray clusters for namespace ${kube.namespace}`,
        e,
      );
    }
    if (name && items.length === 0)
      throw new CliError(
        `Ray cluster ${name} not found ${all ? 'in any namespace' : `in namespace ${kube.namespace}`}`,
      );
    const now = Date.now();
    await print(items, {
      asObject: (c) => ({ apiVersion: 'ray.io/v1', kind: 'RayCluster', ...c }),
      headers: clusterHeaders,
      row: (c) => clusterRow(c, now),
      statusColumn: 9,
    });
  });
}
