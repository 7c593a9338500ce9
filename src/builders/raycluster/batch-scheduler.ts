import type { KubeObject, Pod, RayCluster, WorkerGroupSpec } from '../../api/index.ts';
import {
  addQuantities,
  formatQuantity,
  type ParsedQuantity,
  parseQuantity,
  scaleQuantity,
} from '../common/quantity.ts';
import { label } from './constants.ts';
import { autoscalingEnabled } from './containers.ts';
import { ownedMetadata, ownerReference } from './pod.ts';

/** Our internal name for the KubernetesWAS gate's scheduler (it has no --batch-scheduler name). */
export const kubernetesWasScheduler = 'kubernetes-was';

/** Scheduler names of the supported batch schedulers. */
export const schedulerNames: Readonly<Record<string, string>> = {
  volcano: 'volcano',
  yunikorn: 'yunikorn',
  'kai-scheduler': 'kai-scheduler',
  'scheduler-plugins': 'scheduler-plugins-scheduler',
  [kubernetesWasScheduler]: 'default-scheduler',
};

export function volcanoPodGroupName(rc: RayCluster): string {
  const owner =
    rc.metadata.labels?.[label.originatedFromCrd] === 'RayJob'
      ? rc.metadata.labels?.[label.originatedFromCrName]
      : undefined;
  return `ray-${owner || rc.metadata.name}-pg`;
}

function groupReplicas(g: WorkerGroupSpec, useMin: boolean): number {
  if (g.suspend) return 0;
  const min = g.minReplicas ?? 0;
  const max = g.maxReplicas ?? 2147483647;
  const r = useMin ? min : Math.min(Math.max(g.replicas ?? min, min), max);
  return r * (g.numOfHosts ?? 1);
}

export function podRequests(
  template: RayCluster['spec']['headGroupSpec']['template'],
): Map<string, ParsedQuantity> {
  const out = new Map<string, ParsedQuantity>();
  for (const c of template.spec.containers) {
    const names = new Set([
      ...Object.keys(c.resources?.requests ?? {}),
      ...Object.keys(c.resources?.limits ?? {}),
    ]);
    for (const n of names) {
      const q = parseQuantity(c.resources?.requests?.[n] ?? c.resources?.limits?.[n]);
      if (q) out.set(n, addQuantities(out.get(n), q));
    }
  }
  return out;
}

/** Gang size and summed resources: head plus desired (or, with the autoscaler, minimum) workers. */
export function gangShape(rc: RayCluster): { minMember: number; minResources: Record<string, string> } {
  const useMin = autoscalingEnabled(rc);
  let minMember = 1;
  const total = podRequests(rc.spec.headGroupSpec.template);
  for (const g of rc.spec.workerGroupSpecs ?? []) {
    const n = groupReplicas(g, useMin);
    minMember += n;
    for (const [k, q] of podRequests(g.template))
      total.set(k, addQuantities(total.get(k), scaleQuantity(q, n)));
  }
  const minResources: Record<string, string> = {};
  for (const k of [...total.keys()].sort()) minResources[k] = formatQuantity(total.get(k)!);
  return { minMember, minResources };
}

/** The gang object created before pods: a Volcano or scheduler-plugins PodGroup, else nothing. */
export function buildPodGroup(rc: RayCluster, scheduler: string): KubeObject | undefined {
  const shape = gangShape(rc);
  const meta = { namespace: rc.metadata.namespace, ownerReferences: [ownerReference(rc)] };
  if (scheduler === 'volcano') {
    const queue = rc.metadata.labels?.[label.volcanoQueue];
    const priority = rc.metadata.labels?.[label.priorityClassName];
    return {
      apiVersion: 'scheduling.volcano.sh/v1beta1',
      kind: 'PodGroup',
      metadata: { ...meta, name: volcanoPodGroupName(rc) },
      spec: {
        minMember: shape.minMember,
        minResources: shape.minResources,
        ...(queue ? { queue } : {}),
        ...(priority ? { priorityClassName: priority } : {}),
      },
    };
  }
  if (scheduler === 'scheduler-plugins' && rc.metadata.labels?.[label.gangScheduling] === 'true') {
    return {
      apiVersion: 'scheduling.x-k8s.io/v1alpha1',
      kind: 'PodGroup',
      metadata: { ...meta, name: rc.metadata.name, labels: { [label.cluster]: rc.metadata.name ?? '' } },
      spec: { minMember: shape.minMember, minResources: shape.minResources },
    };
  }
  return undefined;
}

/** Stamps scheduler name, queue and group metadata on a pod before it is created (AddMetadataToChildResource). */
export function addSchedulerMetadata(pod: Pod, rc: RayCluster, scheduler: string, groupName: string): Pod {
  const name = schedulerNames[scheduler];
  if (!name) return pod;
  const labels = { ...pod.metadata.labels };
  const annotations = { ...pod.metadata.annotations };
  const spec: Pod['spec'] = { ...pod.spec, schedulerName: name };
  const rcLabels = rc.metadata.labels ?? {};
  if (scheduler === 'volcano') {
    annotations['scheduling.k8s.io/group-name'] = volcanoPodGroupName(rc);
    const queue = rcLabels[label.volcanoQueue];
    if (queue) labels[label.volcanoQueue] = queue;
    const priority = rcLabels[label.priorityClassName];
    if (priority) spec.priorityClassName = priority;
  } else if (scheduler === 'yunikorn') {
    const appId = rcLabels['yunikorn.apache.org/app-id'];
    const queue = rcLabels['yunikorn.apache.org/queue'];
    if (appId) labels.applicationId = appId;
    if (queue) labels.queue = queue;
    // YuniKorn gangs when the label is present, whatever its value (as KubeRay does).
    if (rcLabels[label.gangScheduling] !== undefined) {
      annotations[yunikornTaskGroupsAnnotation] = yunikornTaskGroups(rc);
      annotations[yunikornTaskGroupNameAnnotation] = groupName === '' ? 'headgroup' : groupName;
    }
  } else if (scheduler === 'kai-scheduler') {
    const queue = rcLabels['kai.scheduler/queue'];
    if (queue) labels['kai.scheduler/queue'] = queue;
  } else if (scheduler === 'scheduler-plugins') {
    if (rcLabels[label.gangScheduling] === 'true')
      labels['scheduling.x-k8s.io/pod-group'] = rc.metadata.name ?? '';
  } else if (scheduler === kubernetesWasScheduler) {
    if (wasSkipReason(rc) !== undefined) return pod;
    spec.schedulingGroup = { podGroupName: wasPodGroupName(rc.metadata.name ?? '') };
  }
  return { ...pod, metadata: { ...pod.metadata, labels, annotations }, spec };
}

export const yunikornTaskGroupsAnnotation = 'yunikorn.apache.org/task-groups';
export const yunikornTaskGroupNameAnnotation = 'yunikorn.apache.org/task-group-name';

function quantityMap(template: RayCluster['spec']['headGroupSpec']['template']): Record<string, string> {
  const out: Record<string, string> = {};
  const total = podRequests(template);
  for (const k of [...total.keys()].sort()) out[k] = formatQuantity(total.get(k)!);
  return out;
}

/**
 * The `yunikorn.apache.org/task-groups` annotation: one task group for the head (`headgroup`, minMember 1) and one
 * per worker group (minMember = minReplicas x numOfHosts), each with one pod's summed resources and the template's
 * nodeSelector, tolerations and affinity. Keys follow the YuniKorn shim's TaskGroup JSON.
 */
export function yunikornTaskGroups(rc: RayCluster): string {
  const group = (name: string, minMember: number, tpl: RayCluster['spec']['headGroupSpec']['template']) => {
    const s = tpl.spec as Record<string, unknown>;
    const nodeSelector = s.nodeSelector as Record<string, string> | undefined;
    const tolerations = s.tolerations as unknown[] | undefined;
    return {
      minResource: quantityMap(tpl),
      ...(nodeSelector && Object.keys(nodeSelector).length ? { nodeSelector } : {}),
      ...(s.affinity ? { affinity: s.affinity } : {}),
      name,
      ...(tolerations?.length ? { tolerations } : {}),
      minMember,
    };
  };
  return JSON.stringify([
    group('headgroup', 1, rc.spec.headGroupSpec.template),
    ...(rc.spec.workerGroupSpecs ?? []).map((g) =>
      group(g.groupName, (g.minReplicas ?? 0) * (g.numOfHosts ?? 1), g.template),
    ),
  ]);
}

/** KubernetesWAS: why a cluster is not gang scheduled, or undefined when it is. */
export function wasSkipReason(rc: RayCluster): string | undefined {
  const v = rc.metadata.labels?.[label.gangScheduling];
  if (v === undefined || v.toLowerCase() === 'false') return 'gang scheduling not enabled on RayCluster';
  if (autoscalingEnabled(rc)) return 'autoscaling is not yet supported';
  return undefined;
}

export const wasPodGroupTemplateName = 'cluster';
export const wasApiVersion = 'scheduling.k8s.io/v1alpha2';

export function wasPodGroupName(cluster: string): string {
  return `${cluster}-${wasPodGroupTemplateName}`;
}

/** The gang size: the head plus every desired worker pod. */
export function wasMinCount(rc: RayCluster): number {
  return 1 + (rc.spec.workerGroupSpecs ?? []).reduce((n, g) => n + groupReplicas(g, false), 0);
}

/**
 * KubernetesWAS: the Workload (one PodGroupTemplate `cluster` with a gang policy) and the PodGroup that pods name
 * in `spec.schedulingGroup`. Both are immutable on the server, so a changed gang size means delete and recreate.
 */
export function buildWasObjects(rc: RayCluster): { workload: KubeObject; podGroup: KubeObject } {
  const name = rc.metadata.name ?? '';
  const policy = { gang: { minCount: wasMinCount(rc) } };
  const meta = (n: string) => ownedMetadata(rc, n, { [label.cluster]: name });
  return {
    workload: {
      apiVersion: wasApiVersion,
      kind: 'Workload',
      metadata: meta(name),
      spec: {
        controllerRef: { apiGroup: 'ray.io', kind: 'RayCluster', name },
        podGroupTemplates: [{ name: wasPodGroupTemplateName, schedulingPolicy: policy }],
      },
    },
    podGroup: {
      apiVersion: wasApiVersion,
      kind: 'PodGroup',
      metadata: meta(wasPodGroupName(name)),
      spec: {
        podGroupTemplateRef: {
          workload: { workloadName: name, podGroupTemplateName: wasPodGroupTemplateName },
        },
        schedulingPolicy: policy,
      },
    },
  };
}
