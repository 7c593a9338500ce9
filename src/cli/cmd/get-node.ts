/** `kubectl ray get node [NODE]`: the Ray pods (`ray.io/is-ray-node=yes`) as KubeRay's table. */
import { Resources } from '../../k8s/resources.ts';
import type { Invocation, RunResult } from '../command.ts';
import { CliError, wrap } from '../errors.ts';
import { runListing } from '../listing.ts';
import { type Pod, quantityText, resourceCells, resourceHeaders } from '../objects.ts';
import { age } from '../table.ts';

export function nodeRow(pod: Pod, allNamespaces: boolean, now: number): string[] {
  const requests = pod.spec?.containers?.[0]?.resources?.requests ?? {};
  const labels = pod.metadata.labels ?? {};
  return [
    ...(allNamespaces ? [pod.metadata.namespace ?? ''] : []),
    pod.metadata.name ?? '',
    ...resourceCells((r) => quantityText(requests[r])),
    labels['ray.io/cluster'] ?? '',
    labels['ray.io/node-type'] ?? '',
    labels['ray.io/group'] ?? '',
    age(pod.metadata.creationTimestamp, now),
  ];
}

export function nodeHeaders(allNamespaces: boolean): string[] {
  return [
    ...(allNamespaces ? ['Namespace'] : []),
    'Name',
    ...resourceHeaders,
    'Cluster',
    'Type',
    'Worker Group',
    'Age',
  ];
}

export function notFoundMessage(
  kind: string,
  name: string,
  cluster: string,
  namespace: string,
  all: boolean,
): string {
  return `${kind} ${name} not found ${all ? 'in any namespace' : `in namespace ${namespace}`} ${cluster ? `in Ray cluster ${cluster}` : 'in any Ray cluster'}`;
}

export function getNodes(inv: Invocation): Promise<RunResult> {
  return runListing(inv, async ({ kube, all, namespace, cluster, name: node, print }) => {
    const labelSelector: Record<string, string> = {
      'ray.io/is-ray-node': 'yes',
      ...(cluster ? { 'ray.io/cluster': cluster } : {}),
    };
    let pods: Pod[];
    try {
      pods = (
        await kube.client.list<Pod>(Resources.pods, {
          namespace,
          labelSelector,
          fieldSelector: node ? { 'metadata.name': node } : undefined,
        })
      ).items;
    } catch (e) {
      throw wrap('unable to get Ray nodes', e);
    }
    if (node && pods.length === 0)
      throw new CliError(notFoundMessage('Ray node', node, cluster, kube.namespace, all));
    const now = Date.now();
    await print(pods, {
      asObject: (p) => ({ apiVersion: 'v1', kind: 'Pod', ...p }),
      headers: nodeHeaders(all),
      row: (p) => nodeRow(p, all, now),
    });
  });
}
