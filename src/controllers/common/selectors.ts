import { Labels } from '../../api/constants.ts';

/**
 * The pod informers hold only Ray pods (KubeRay's manager cache narrowing). One selector for every controller,
 * so they all share one pod cache.
 */
export const rayPodSelector = {
  matchExpressions: [{ key: Labels.nodeType, operator: 'In', values: ['head', 'worker', 'redis-cleanup'] }],
} as const;

/** Everything labelled as belonging to a RayCluster (its pods, and the objects made for it). */
export function clusterSelector(cluster: string): Record<string, string> {
  return { [Labels.cluster]: cluster };
}

/** The head pod of a RayCluster. */
export function headPodSelector(cluster: string): Record<string, string> {
  return { ...clusterSelector(cluster), [Labels.nodeType]: 'head' };
}
