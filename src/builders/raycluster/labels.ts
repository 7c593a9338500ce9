import type { RayCluster } from '../../api/index.ts';
import type { BuilderConfig } from './config.ts';
import { appNameValue, createdByValue, headGroupName, label } from './constants.ts';
import { identifier } from './names.ts';

export type NodeType = 'head' | 'worker';

/** The base labels of a Ray pod. */
export function basePodLabels(cluster: string, nodeType: NodeType, group: string): Record<string, string> {
  return {
    [label.isRayNode]: 'yes',
    [label.cluster]: cluster,
    [label.nodeType]: nodeType,
    [label.group]: nodeType === 'head' ? headGroupName : group,
    [label.identifier]: identifier(cluster, nodeType),
    [label.appName]: appNameValue,
    [label.createdBy]: createdByValue,
  };
}

/**
 * Pod labels: base, then template labels, then group labels; the cluster, node-type and group labels are always
 * forced; operator default labels fill only absent keys; RayService clusters get `ray.io/serve`.
 */
export function podLabels(
  rc: RayCluster,
  nodeType: NodeType,
  group: string,
  templateLabels: Record<string, string> | undefined,
  groupLabels: Record<string, string> | undefined,
  config: Pick<BuilderConfig, 'defaultPodLabels'>,
): Record<string, string> {
  const cluster = rc.metadata.name ?? '';
  const base = basePodLabels(cluster, nodeType, group);
  const out: Record<string, string> = { ...base, ...templateLabels, ...groupLabels };
  out[label.cluster] = base[label.cluster]!;
  out[label.nodeType] = base[label.nodeType]!;
  out[label.group] = base[label.group]!;
  if (rc.metadata.labels?.[label.originatedFromCrd] === 'RayService') {
    out[label.serve] = nodeType === 'head' ? 'false' : 'true';
  }
  for (const [k, v] of Object.entries(config.defaultPodLabels)) if (!(k in out)) out[k] = v;
  return out;
}

/** The labels on RBAC objects and other cluster-wide children. */
export function clusterChildLabels(cluster: string): Record<string, string> {
  return { [label.cluster]: cluster, [label.appName]: appNameValue, [label.createdBy]: createdByValue };
}

export function creatorCrd(rc: RayCluster): 'RayCluster' | 'RayJob' | 'RayService' {
  const v = rc.metadata.labels?.[label.originatedFromCrd];
  return v === 'RayJob' || v === 'RayService' ? v : 'RayCluster';
}
