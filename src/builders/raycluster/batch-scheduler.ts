import {
  addQuantities,
  formatQuantity,
  parseQuantity,
  type Quantity,
  scaleQuantity,
} from '../common/quantity.ts';
import { label } from './constants.ts';
import { autoscalingEnabled } from './containers.ts';
import { ownerReference } from './pod.ts';
import type { K8sObject, Pod, RayCluster, WorkerGroupSpec } from './types.ts';

/** Scheduler names of the supported batch schedulers (periphery §7). */
export const schedulerNames: Readonly<Record<string, string>> = {
  volcano: 'volcano',
  yunikorn: 'yunikorn',
  'kai-scheduler': 'kai-scheduler',
  'scheduler-plugins': 'scheduler-plugins-scheduler',
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

function podRequests(template: RayCluster['spec']['headGroupSpec']['template']): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
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
export function buildPodGroup(rc: RayCluster, scheduler: string): K8sObject | undefined {
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
    if (rcLabels[label.gangScheduling] === 'true')
      annotations['yunikorn.apache.org/task-group-name'] = groupName === '' ? 'headgroup' : groupName;
  } else if (scheduler === 'kai-scheduler') {
    const queue = rcLabels['kai.scheduler/queue'];
    if (queue) labels['kai.scheduler/queue'] = queue;
  } else if (scheduler === 'scheduler-plugins') {
    if (rcLabels[label.gangScheduling] === 'true')
      labels['scheduling.x-k8s.io/pod-group'] = rc.metadata.name ?? '';
  }
  return { ...pod, metadata: { ...pod.metadata, labels, annotations }, spec };
}
