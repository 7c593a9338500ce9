import type { BatchJob } from '../../api/index.ts';
import {
  JobSubmissionModes,
  Labels,
  type PodTemplateSpec,
  type RayCluster,
  type RayJob,
} from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { addQuantities, formatQuantity, parseQuantity } from '../common/quantity.ts';
import { gangShape, podRequests, schedulerNames } from '../raycluster/batch-scheduler.ts';
import { submissionMode } from './cluster.ts';
import { rayJobOwnerReference } from './owner.ts';
import { defaultSubmitterContainer } from './submitter.ts';

/**
 * The batch-scheduler hooks of the RayJob controller: what KubeRay does at the RayJob level, on
 * top of what the RayCluster controller does for the cluster's pods (the RayJob's labels are copied onto its
 * RayCluster, so the cluster's pods get the scheduler name, queue and group there).
 *
 * - volcano: one PodGroup `ray-<rayjob>-pg` for the whole RayJob, owned by it and created before the cluster:
 *   minMember = head + desired workers (minimum workers with the autoscaler); minResources = those pods' requests
 *   plus the submitter's (K8sJobMode: its pod; SidecarMode: its container in the head pod), the submitter not
 *   counted in minMember (it starts only once the cluster is up, so counting it would deadlock the gang). The
 *   submitter pod joins the group (scheduler name, group annotation, queue label, priority class). When the
 *   RayJob finishes (or suspends, or retries), the PodGroup shrinks to the live cluster (or to nothing).
 *   Not with clusterSelector (the cluster is not the RayJob's).
 * - yunikorn: the submitter pod gets the scheduler name and the `applicationId`/`queue` labels from the RayJob's
 *   `yunikorn.apache.org/app-id`/`yunikorn.apache.org/queue` labels, so it joins the cluster's application.
 * - kai-scheduler: the submitter pod gets the scheduler name and the `kai.scheduler/queue` label; K8sJobMode is
 *   rejected (validation).
 * - scheduler-plugins: RayCluster only; nothing at the RayJob level.
 */
export const volcanoApiVersion = 'scheduling.volcano.sh/v1beta1';
export const volcanoGroupNameAnnotation = 'scheduling.k8s.io/group-name';
export const kaiQueueLabel = 'kai.scheduler/queue';
export const yunikornAppIdLabel = 'yunikorn.apache.org/app-id';
export const yunikornQueueLabel = 'yunikorn.apache.org/queue';

export function rayJobPodGroupName(rayJob: RayJob): string {
  return `ray-${rayJob.metadata.name ?? ''}-pg`;
}

/** Whether the RayJob gets a RayJob-level PodGroup under this scheduler. */
export function usesRayJobPodGroup(rayJob: RayJob, scheduler: string): boolean {
  return scheduler === 'volcano' && !rayJob.spec.clusterSelector?.['ray.io/cluster'];
}

/** The summed requests (limits where no request is set) of the submitter, by submission mode; empty if none. */
export function submitterRequests(rayJob: RayJob): Record<string, string> {
  const mode = submissionMode(rayJob);
  const headImage = rayJob.spec.rayClusterSpec?.headGroupSpec?.template?.spec?.containers?.[0]?.image;
  let template: PodTemplateSpec | undefined;
  if (mode === JobSubmissionModes.k8sJob)
    template = rayJob.spec.submitterPodTemplate ?? {
      spec: { containers: [defaultSubmitterContainer(headImage)] },
    };
  else if (mode === JobSubmissionModes.sidecar)
    template = { spec: { containers: [defaultSubmitterContainer(headImage)] } };
  if (!template?.spec?.containers?.length) return {};
  return formatted(podRequests(template));
}

function formatted(m: Map<string, ReturnType<typeof addQuantities>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) out[k] = formatQuantity(m.get(k)!);
  return out;
}

function addResources(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  const sum = new Map<string, ReturnType<typeof addQuantities>>();
  for (const src of [a, b])
    for (const [k, v] of Object.entries(src)) {
      const q = parseQuantity(v);
      if (q) sum.set(k, addQuantities(sum.get(k), q));
    }
  return formatted(sum);
}

type Spec = NonNullable<RayJob['spec']['rayClusterSpec']>;

/** The cluster as far as the gang shape needs it, every template given a container list (never throws). */
function shapeable(name: string, namespace: string, spec: Spec | undefined): RayCluster {
  const tpl = (t: PodTemplateSpec | undefined) => ({
    ...t,
    spec: { ...t?.spec, containers: t?.spec?.containers ?? [] },
  });
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name, namespace },
    spec: {
      ...spec,
      headGroupSpec: { ...spec?.headGroupSpec, template: tpl(spec?.headGroupSpec?.template) },
      workerGroupSpecs: (spec?.workerGroupSpecs ?? []).map((g) => ({ ...g, template: tpl(g.template) })),
    },
  } as RayCluster;
}

export interface PodGroupShape {
  readonly minMember: number;
  readonly minResources: Readonly<Record<string, string>>;
}

/** The gang the RayJob needs while it runs: its cluster plus the submitter's resources. */
export function rayJobGangShape(rayJob: RayJob): PodGroupShape {
  const cluster = gangShape(
    shapeable(rayJob.metadata.name ?? '', rayJob.metadata.namespace ?? '', rayJob.spec.rayClusterSpec),
  );
  return {
    minMember: cluster.minMember,
    minResources: addResources(cluster.minResources, submitterRequests(rayJob)),
  };
}

/** After the RayJob finished: the live cluster's shape (no submitter), or nothing when the cluster is gone. */
export function finishedGangShape(cluster: RayCluster | null | undefined): PodGroupShape {
  if (!cluster || cluster.metadata.deletionTimestamp) return { minMember: 0, minResources: {} };
  const s = gangShape(shapeable(cluster.metadata.name ?? '', cluster.metadata.namespace ?? '', cluster.spec));
  return { minMember: s.minMember, minResources: s.minResources };
}

/** The Volcano PodGroup of a RayJob (owned by it), with the given shape. */
export function buildRayJobPodGroup(rayJob: RayJob, shape: PodGroupShape = rayJobGangShape(rayJob)) {
  const labels = rayJob.metadata.labels ?? {};
  const queue = labels[Labels.volcanoQueueName];
  const priority = labels[Labels.priorityClassName];
  return {
    apiVersion: volcanoApiVersion,
    kind: 'PodGroup',
    metadata: {
      name: rayJobPodGroupName(rayJob),
      namespace: rayJob.metadata.namespace ?? '',
      ownerReferences: [rayJobOwnerReference(rayJob)],
    },
    spec: {
      minMember: shape.minMember,
      minResources: { ...shape.minResources },
      ...(queue ? { queue } : {}),
      ...(priority ? { priorityClassName: priority } : {}),
    },
  };
}

/** Stamps the submitter Job's pod template for the batch scheduler (a new Job; the input is not changed). */
export function addSubmitterSchedulerMetadata(job: BatchJob, rayJob: RayJob, scheduler: string): BatchJob {
  const schedulerName = schedulerNames[scheduler];
  if (!schedulerName || !job.spec || scheduler === 'scheduler-plugins' || scheduler === 'kubernetes-was')
    return job;
  const out: BatchJob = copyJson(job);
  const template = out.spec!.template;
  const rjLabels = rayJob.metadata.labels ?? {};
  const labels: Record<string, string> = { ...template.metadata?.labels };
  const annotations: Record<string, string> = { ...template.metadata?.annotations };
  const spec = { ...template.spec, schedulerName } as NonNullable<PodTemplateSpec['spec']>;
  if (scheduler === 'volcano') {
    if (usesRayJobPodGroup(rayJob, scheduler))
      annotations[volcanoGroupNameAnnotation] = rayJobPodGroupName(rayJob);
    const queue = rjLabels[Labels.volcanoQueueName];
    if (queue) labels[Labels.volcanoQueueName] = queue;
    const priority = rjLabels[Labels.priorityClassName];
    if (priority) (spec as Record<string, unknown>).priorityClassName = priority;
  } else if (scheduler === 'yunikorn') {
    const appId = rjLabels[yunikornAppIdLabel];
    const queue = rjLabels[yunikornQueueLabel];
    if (appId) labels.applicationId = appId;
    if (queue) labels.queue = queue;
  } else if (scheduler === 'kai-scheduler') {
    const queue = rjLabels[kaiQueueLabel];
    if (queue) labels[kaiQueueLabel] = queue;
  }
  out.spec!.template = {
    ...template,
    metadata: {
      ...template.metadata,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec,
  };
  return out;
}
