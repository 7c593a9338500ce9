import type { Pod, RayCluster } from '../../api/index.ts';
import type { BuilderConfig, WorkerPodIndex } from '../../builders/raycluster/index.ts';
import {
  annotation,
  autoscalingEnabled,
  clusterSpecHash,
  gateEnabled,
  label,
} from '../../builders/raycluster/index.ts';
import { isConditionTrue } from '../common/conditions.ts';
import type { PodDeletion } from './messages.ts';
import { shouldDeletePod } from './pod-health.ts';

/** One change to the cluster's pods. */
export type PodAction =
  | {
      type: 'deleteCollection';
      selector: Record<string, string>;
      why: 'suspend' | 'recreate' | 'groupSuspend';
      group?: string;
    }
  | { type: 'annotateHead'; name: string; annotations: Record<string, string> }
  | { type: 'createHead' }
  | {
      type: 'deletePod';
      name: string;
      group: string;
      head: boolean;
      why: PodDeletion;
      ignoreNotFound: boolean;
      /** The cached Pod, when the plan saw it (its state goes into KubeRay's event text). */
      pod?: Pod;
    }
  | { type: 'createWorker'; groupIndex: number; group: string; index: WorkerPodIndex };

/**
 * A step of the plan. Its actions are issued (deletes first, then creates, each set concurrently); a failure
 * ends the reconcile with an error. `thenError` ends it with an error after the actions, `stop` ends it quietly.
 */
export interface PodPhase {
  readonly actions: PodAction[];
  readonly thenError?: string;
  readonly stop?: boolean;
  readonly clearExpectations?: boolean;
}

export interface PodPlanInput {
  readonly rc: RayCluster;
  readonly config: Pick<BuilderConfig, 'randomPodDelete' | 'featureGates' | 'kuberayVersion'>;
  /** Every pod labelled with the cluster, from the cache (terminating pods included). */
  readonly pods: readonly Pod[];
  readonly expectationsSatisfied: (group: string) => boolean;
  /** Five random lowercase characters (multi-host replica names). */
  readonly randomSuffix: () => string;
}

const maxInt32 = 2147483647;

/**
 * Whether a provisioned cluster whose head is gone gets a new one. Not with `ray.io/disable-provisioned-head-restart`
 * (a SidecarMode RayJob's cluster: a new head would run its submitter again). A RayJob's cluster that KubeRay v1.5.0
 * made (it has no `ray.io/job-submission-mode` label) keeps v1.5.0's rule, which never gives a RayJob's cluster a new
 * head, so taking over a SidecarMode job from v1.5.0 cannot submit it twice.
 */
function provisionedHeadRestarts(rc: RayCluster): boolean {
  if (rc.metadata.annotations?.[annotation.disableProvisionedHeadRestart] === 'true') return false;
  const labels = rc.metadata.labels ?? {};
  return !(labels[label.originatedFromCrd] === 'RayJob' && labels[label.jobSubmissionMode] === undefined);
}

function condTrue(rc: RayCluster, type: string): boolean {
  return isConditionTrue(rc.status?.conditions, type);
}

/** Desired pod count of a group: clamp(replicas ?? min, min, max) × numOfHosts; 0 when suspended. */
export function desiredWorkerPods(g: NonNullable<RayCluster['spec']['workerGroupSpecs']>[number]): number {
  if (g.suspend) return 0;
  const min = g.minReplicas ?? 0;
  const max = g.maxReplicas ?? maxInt32;
  const replicas = Math.min(Math.max(g.replicas ?? min, min), max);
  return replicas * (g.numOfHosts ?? 1);
}

/** Plans the pod changes of one reconcile, in KubeRay's order. */
export function planPods(input: PodPlanInput): PodPhase[] {
  const { rc, config, pods } = input;
  const cluster = rc.metadata.name ?? '';
  const phases: PodPhase[] = [];
  const gate = gateEnabled(config, 'RayClusterStatusConditions');
  const all = { [label.cluster]: cluster };

  // (a) Suspend.
  const suspending = condTrue(rc, 'RayClusterSuspending');
  if (suspending || (!gate && rc.spec.suspend === true))
    return [{ actions: [{ type: 'deleteCollection', selector: all, why: 'suspend' }], stop: true }];
  if (gate && (condTrue(rc, 'RayClusterSuspended') || rc.spec.suspend === true))
    return [{ actions: [], stop: true }];

  const headPods = pods.filter((p) => p.metadata.labels?.[label.nodeType] === 'head');

  // (b) Recreate upgrade.
  const head0 = headPods[0];
  if (rc.spec.upgradeStrategy?.type === 'Recreate' && head0) {
    // Computed only here: Go's JSON of the whole spec and a SHA-1 cost more than the rest of a plan, and most
    // clusters have no Recreate strategy.
    const clusterHash = clusterSpecHash(rc);
    const ann = head0.metadata.annotations ?? {};
    const version = ann[annotation.kuberayVersion];
    const hash = ann[annotation.upgradeRecreateHash];
    if (version && version !== config.kuberayVersion) {
      phases.push({
        actions: [
          {
            type: 'annotateHead',
            name: head0.metadata.name ?? '',
            annotations: {
              [annotation.kuberayVersion]: config.kuberayVersion,
              [annotation.upgradeRecreateHash]: clusterHash,
            },
          },
        ],
      });
    } else if (hash && hash !== clusterHash) {
      return [
        {
          actions: [{ type: 'deleteCollection', selector: all, why: 'recreate' }],
          stop: true,
          clearExpectations: true,
        },
      ];
    }
  }

  // (c) Head.
  if (input.expectationsSatisfied('')) {
    if (headPods.length === 1) {
      const verdict = shouldDeletePod(headPods[0]!, 'head');
      if (verdict.delete) {
        phases.push({
          actions: [
            {
              type: 'deletePod',
              name: headPods[0]!.metadata.name ?? '',
              group: '',
              head: true,
              why: { kind: 'unhealthy', head: true },
              ignoreNotFound: true,
              pod: headPods[0]!,
            },
          ],
          thenError: verdict.reason,
        });
        return phases;
      }
    } else if (headPods.length === 0) {
      if (condTrue(rc, 'RayClusterProvisioned') && !provisionedHeadRestarts(rc)) {
        phases.push({ actions: [], stop: true });
        return phases;
      }
      phases.push({ actions: [{ type: 'createHead' }] });
    } else {
      const names = headPods.map((p) => p.metadata.name).join(' ');
      phases.push({
        actions: [],
        thenError: `${headPods.length} head pods found [${names}]. Please delete extra head pods`,
      });
      return phases;
    }
  }

  // (d) Worker groups, in spec order.
  const groups = rc.spec.workerGroupSpecs ?? [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (!input.expectationsSatisfied(g.groupName)) continue;
    const groupPods = pods.filter(
      (p) =>
        p.metadata.labels?.[label.group] === g.groupName && p.metadata.labels?.[label.nodeType] === 'worker',
    );
    if (g.suspend) {
      phases.push({
        actions: [
          {
            type: 'deleteCollection',
            selector: { ...all, [label.group]: g.groupName },
            why: 'groupSuspend',
            group: g.groupName,
          },
        ],
      });
      continue;
    }
    const desired = desiredWorkerPods(g);
    const phase =
      (g.numOfHosts ?? 1) > 1 && gateEnabled(config, 'RayMultiHostIndexing')
        ? planMultiHost(input, { index: i, pods: groupPods, desired })
        : planSingleHost(input, { index: i, pods: groupPods, desired });
    phases.push(phase);
    if (phase.thenError) return phases;
  }
  return phases;
}

function mayDeleteRandomly(input: PodPlanInput): boolean {
  return !autoscalingEnabled(input.rc) || input.config.randomPodDelete;
}

function smallestFreeIndex(used: Set<number>): number {
  let i = 0;
  while (used.has(i)) i++;
  used.add(i);
  return i;
}

function deleteAction(pod: Pod | string, group: string, why: PodDeletion): PodAction {
  if (typeof pod === 'string')
    return { type: 'deletePod', name: pod, group, head: false, why, ignoreNotFound: true };
  return {
    type: 'deletePod',
    name: pod.metadata.name ?? '',
    group,
    head: false,
    why,
    ignoreNotFound: true,
    pod,
  };
}

/** KubeRay's reasons for deleting the Pods of a multi-host replica. */
const replica = (group: string, reason: string): PodDeletion => ({ kind: 'replica', group, reason });

/** One worker group to plan: its index in the spec, its live pods and the number it should have. */
interface GroupToPlan {
  readonly index: number;
  readonly pods: readonly Pod[];
  readonly desired: number;
}

function planSingleHost(input: PodPlanInput, group: GroupToPlan): PodPhase {
  const { index: groupIndex, pods: groupPods, desired } = group;
  const g = input.rc.spec.workerGroupSpecs![groupIndex]!;
  const unhealthy = groupPods.filter((p) => shouldDeletePod(p, 'worker').delete);
  if (unhealthy.length > 0)
    return {
      actions: unhealthy.map((p) => deleteAction(p, g.groupName, { kind: 'unhealthy', head: false })),
      thenError: `delete ${unhealthy.length} unhealthy worker Pods`,
    };
  const actions: PodAction[] = [];
  const toDelete = new Set(g.scaleStrategy?.workersToDelete ?? []);
  // Deletes only names the cache knows and that are not already terminating: no API call for stale entries.
  const live = new Set(input.pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name));
  for (const name of toDelete)
    if (live.has(name)) actions.push(deleteAction(name, g.groupName, { kind: 'workersToDelete' }));
  const running = groupPods.filter((p) => !toDelete.has(p.metadata.name ?? ''));
  const diff = desired - running.length;
  if (diff > 0) {
    const multiHostIndexing = gateEnabled(input.config, 'RayMultiHostIndexing');
    const used = new Set(
      running.map((p) => Number(p.metadata.labels?.[label.replicaIndex])).filter((n) => Number.isInteger(n)),
    );
    for (let k = 0; k < diff; k++)
      actions.push({
        type: 'createWorker',
        groupIndex,
        group: g.groupName,
        index: multiHostIndexing ? { replicaIndex: smallestFreeIndex(used) } : {},
      });
  } else if (diff < 0 && mayDeleteRandomly(input)) {
    for (const p of running.slice(0, -diff))
      actions.push(deleteAction(p, g.groupName, { kind: 'scaleDown' }));
  }
  return { actions };
}

function planMultiHost(input: PodPlanInput, group: GroupToPlan): PodPhase {
  const { index: groupIndex, pods: groupPods, desired } = group;
  const g = input.rc.spec.workerGroupSpecs![groupIndex]!;
  const hosts = g.numOfHosts ?? 1;
  const replicas = new Map<string, Pod[]>();
  for (const p of groupPods) {
    const name = p.metadata.labels?.[label.replicaName];
    if (!name) continue;
    replicas.set(name, [...(replicas.get(name) ?? []), p]);
  }
  const incomplete = [...replicas].filter(([, ps]) => ps.length < hosts);
  if (incomplete.length > 0)
    return {
      actions: incomplete.flatMap(([, ps]) =>
        ps.map((p) =>
          deleteAction(p, g.groupName, replica(g.groupName, 'cleanup of incomplete multi-host group')),
        ),
      ),
      thenError: `cleaned up incomplete replica group(s) ${incomplete.map(([n]) => n).join(', ')} of worker group ${g.groupName}`,
    };
  const actions: PodAction[] = [];
  const removed = new Set<string>();
  for (const [name, ps] of replicas) {
    const sick = ps.map((p) => shouldDeletePod(p, 'worker')).find((v) => v.delete);
    if (!sick) continue;
    removed.add(name);
    for (const p of ps) actions.push(deleteAction(p, g.groupName, replica(g.groupName, sick.reason)));
  }
  const named = new Set(g.scaleStrategy?.workersToDelete ?? []);
  let scaleDeleted = 0;
  for (const [name, ps] of replicas) {
    if (removed.has(name) || !ps.some((p) => named.has(p.metadata.name ?? ''))) continue;
    removed.add(name);
    for (const p of ps)
      actions.push(deleteAction(p, g.groupName, replica(g.groupName, 'autoscaler scale-down request')));
    scaleDeleted += ps.length;
  }
  if (scaleDeleted > 0)
    return { actions, thenError: `deleted ${scaleDeleted} worker Pods based on ScaleStrategy, requeueing` };
  if (desired % hosts !== 0)
    return {
      actions,
      thenError: `desired worker Pods ${desired} of group ${g.groupName} is not a multiple of numOfHosts ${hosts}`,
    };
  const valid = [...replicas].filter(([n]) => !removed.has(n));
  const toCreate = desired / hosts - valid.length;
  if (toCreate > 0) {
    const used = new Set(
      valid
        .map(([, ps]) => Number(ps[0]!.metadata.labels?.[label.replicaIndex]))
        .filter((n) => Number.isInteger(n)),
    );
    for (let r = 0; r < toCreate; r++) {
      const replicaIndex = smallestFreeIndex(used);
      const replicaName = `${g.groupName}-${input.randomSuffix()}`;
      for (let h = 0; h < hosts; h++)
        actions.push({
          type: 'createWorker',
          groupIndex,
          group: g.groupName,
          index: { replicaIndex, replicaName, hostIndex: h },
        });
    }
  } else if (toCreate < 0 && mayDeleteRandomly(input)) {
    for (const [, ps] of valid.slice(0, -toCreate))
      for (const p of ps) actions.push(deleteAction(p, g.groupName, replica(g.groupName, 'scaling down')));
  }
  return { actions };
}
