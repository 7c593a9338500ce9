import type {
  Condition,
  ConditionStatus,
  Pod,
  RayCluster,
  RayClusterStatus,
  Service,
} from '../../api/index.ts';
import {
  addQuantities,
  formatQuantity,
  type ParsedQuantity,
  scaleQuantity,
} from '../../builders/common/quantity.ts';
import { isGpuKey, label, podRequests } from '../../builders/raycluster/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { isConditionTrue, removeCondition, setCondition } from '../common/conditions.ts';
import { desiredWorkerPods } from './plan.ts';
import { isRunningAndReady, podReadyCondition } from './pod-health.ts';

const replicaFailureReasons = [
  'FailedDeleteAllPods',
  'FailedDeleteHeadPod',
  'FailedCreateHeadPod',
  'FailedDeleteWorkerPod',
  'FailedCreateWorkerPod',
] as const;
export type ReplicaFailureReason = (typeof replicaFailureReasons)[number];

/** The outcome of the reconcile steps, as the status computation sees it. */
export interface ReconcileOutcome {
  readonly message: string;
  /** Set when the error is one of the five replica-failure markers. */
  readonly replicaFailure?: ReplicaFailureReason;
  /** The error(s) behind the message, passed on to the controller to classify (not used by the status). */
  readonly cause?: unknown;
}

interface StatusInput {
  readonly rc: RayCluster;
  readonly pods: readonly Pod[];
  readonly headServices: readonly Service[];
  readonly error: ReconcileOutcome | undefined;
  readonly now: string;
  readonly conditionsGate: boolean;
}

const maxInt32 = 2147483647;

/** desiredCPU/Memory/GPU/TPU: head plus each non-suspended group × numOfHosts × raw replicas. */
function desiredResources(
  rc: RayCluster,
): Pick<RayClusterStatus, 'desiredCPU' | 'desiredMemory' | 'desiredGPU' | 'desiredTPU'> {
  const total = podRequests(rc.spec.headGroupSpec.template);
  for (const g of rc.spec.workerGroupSpecs ?? []) {
    if (g.suspend) continue;
    const n = (g.numOfHosts ?? 1) * (g.replicas ?? 0);
    for (const [k, q] of podRequests(g.template))
      total.set(k, addQuantities(total.get(k), scaleQuantity(q, n)));
  }
  let gpu: ParsedQuantity | undefined;
  for (const [k, q] of total) if (isGpuKey(k)) gpu = addQuantities(gpu, q);
  const fmt = (q: ParsedQuantity | undefined) => (q ? formatQuantity(q) : '0');
  return {
    desiredCPU: fmt(total.get('cpu')),
    desiredMemory: fmt(total.get('memory')),
    desiredGPU: fmt(gpu),
    desiredTPU: fmt(total.get('google.com/tpu')),
  };
}

function workerCounts(rc: RayCluster) {
  let desired = 0;
  let min = 0;
  let max = 0;
  for (const g of rc.spec.workerGroupSpecs ?? []) {
    if (g.suspend) continue;
    const hosts = g.numOfHosts ?? 1;
    desired += desiredWorkerPods(g);
    min += (g.minReplicas ?? 0) * hosts;
    max = Math.min(maxInt32, max + (g.maxReplicas ?? maxInt32) * hosts);
  }
  return { desired, min: Math.min(min, maxInt32), max };
}

function headPodReadyCondition(head: Pod | undefined): Omit<Condition, 'lastTransitionTime'> {
  if (!head)
    return {
      type: 'HeadPodReady',
      status: 'False',
      reason: 'HeadPodNotFound',
      message: 'Head Pod not found',
    };
  const ready = podReadyCondition(head);
  if (!ready) return { type: 'HeadPodReady', status: 'False', reason: 'Unknown', message: '' };
  let reason = ready.reason || (ready.status === 'True' ? 'HeadPodRunningAndReady' : '');
  let message = ready.message ?? '';
  if (reason === 'ContainersNotReady') {
    const first = head.status?.containerStatuses?.[0];
    const state = first?.state?.waiting ?? first?.state?.terminated;
    if (state?.reason) {
      reason = state.reason;
      message = `${message}; ${first!.name}: ${state.message ?? ''}`;
    }
  }
  return { type: 'HeadPodReady', status: ready.status, reason: reason || 'Unknown', message };
}

/**
 * calculateStatus, pure. Returns the new status, or an error string when the head Service is missing or
 * ambiguous (then no status is written, as in KubeRay).
 */
export function calculateStatus(input: StatusInput): { status: RayClusterStatus } | { error: string } {
  const { rc, pods, now } = input;
  const s: RayClusterStatus = copyJson(rc.status ?? {});
  let conds: Condition[] = [...(s.conditions ?? [])];
  if (input.conditionsGate) {
    if (input.error?.replicaFailure)
      conds = setCondition(
        conds,
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: input.error.replicaFailure,
          message: input.error.message,
        },
        now,
      );
    else if (!input.error) conds = removeCondition(conds, 'ReplicaFailure');
  }
  s.observedGeneration = rc.metadata.generation;
  const workers = pods.filter((p) => p.metadata.labels?.[label.nodeType] === 'worker');
  s.readyWorkerReplicas = workers.filter(
    (p) => p.status?.phase === 'Running' && podReadyCondition(p)?.status === 'True',
  ).length;
  s.availableWorkerReplicas = workers.filter((p) => p.status?.phase === 'Running').length;
  const counts = workerCounts(rc);
  s.desiredWorkerReplicas = counts.desired;
  s.minWorkerReplicas = counts.min;
  s.maxWorkerReplicas = counts.max;
  Object.assign(s, desiredResources(rc));
  const oldState = rc.status?.state;
  if (!input.error && pods.length === counts.desired + 1 && pods.every(isRunningAndReady)) {
    s.state = 'ready';
    s.reason = '';
  }
  const head = pods.find((p) => p.metadata.labels?.[label.nodeType] === 'head');
  if (input.conditionsGate) {
    conds = setCondition(conds, headPodReadyCondition(head), now);
    const suspendingNow = isConditionTrue(conds, 'RayClusterSuspending');
    const suspendedNow = isConditionTrue(conds, 'RayClusterSuspended');
    if (!isConditionTrue(conds, 'RayClusterProvisioned') && !suspendedNow) {
      // Better than KubeRay, which checks only the pods in its cache: right after a reconcile creates the
      // workers the cache may hold just the ready head, and KubeRay then says all pods are ready. Here every
      // desired pod must exist and be ready, as for the `ready` state.
      const allReady = pods.length > 0 && pods.length === counts.desired + 1 && pods.every(isRunningAndReady);
      conds = setCondition(
        conds,
        allReady
          ? {
              type: 'RayClusterProvisioned',
              status: 'True',
              reason: 'AllPodRunningAndReadyFirstTime',
              message: 'All Ray Pods are ready for the first time',
            }
          : {
              type: 'RayClusterProvisioned',
              status: 'False',
              reason: 'RayClusterPodsProvisioning',
              message: 'RayCluster Pods are being provisioned for first time',
            },
        now,
      );
    }
    const suspending = (status: ConditionStatus) => ({
      type: 'RayClusterSuspending',
      status,
      reason: 'RayClusterSuspending',
      message: '',
    });
    const suspended = (status: ConditionStatus) => ({
      type: 'RayClusterSuspended',
      status,
      reason: 'RayClusterSuspended',
      message: '',
    });
    if (suspendingNow) {
      if (pods.length === 0) {
        conds = setCondition(
          conds,
          {
            type: 'RayClusterProvisioned',
            status: 'False',
            reason: 'RayClusterPodsProvisioning',
            message: 'RayCluster has been suspended',
          },
          now,
        );
        conds = setCondition(conds, suspending('False'), now);
        conds = setCondition(conds, suspended('True'), now);
      }
    } else if (suspendedNow) {
      if (rc.spec.suspend === false) conds = setCondition(conds, suspended('False'), now);
    } else {
      conds = setCondition(conds, suspended('False'), now);
      conds = setCondition(conds, suspending(rc.spec.suspend === true ? 'True' : 'False'), now);
    }
  }
  if (conds.length > 0 || s.conditions) s.conditions = conds;
  if (rc.spec.suspend === true && pods.length === 0) s.state = 'suspended';

  if (input.headServices.length !== 1)
    return {
      error:
        input.headServices.length === 0
          ? 'no head service found'
          : `${input.headServices.length} head services found`,
    };
  const svc = input.headServices[0]!;
  const endpoints = { ...s.endpoints };
  for (const p of svc.spec?.ports ?? []) {
    if (!p.name) continue;
    if (p.nodePort) endpoints[p.name] = String(p.nodePort);
    else if (p.targetPort !== undefined && p.targetPort !== 0 && p.targetPort !== '')
      endpoints[p.name] = String(p.targetPort);
  }
  s.endpoints = endpoints;
  const clusterIP = svc.spec?.clusterIP ?? '';
  if (clusterIP === '') return { error: `head service ${svc.metadata.name} has no ClusterIP yet` };
  s.head = {
    podIP: head?.status?.podIP ?? '',
    podName: head?.metadata.name ?? '',
    serviceIP: clusterIP === 'None' ? (head?.status?.podIP ?? '') : clusterIP,
    serviceName: svc.metadata.name ?? '',
  };
  s.lastUpdateTime = now;
  if (s.state !== undefined && s.state !== oldState)
    s.stateTransitionTimes = { ...s.stateTransitionTimes, [s.state]: now };
  return { status: s };
}

function comparableConditions(list: readonly Condition[] | undefined) {
  return (list ?? [])
    .map((c) => [c.type, c.status, c.reason, c.message].join('\u0000'))
    .sort()
    .join('\u0001');
}

/** inconsistentRayClusterStatus: true when a field users watch changed. */
export function statusChanged(oldS: RayClusterStatus | undefined, newS: RayClusterStatus): boolean {
  const o = oldS ?? {};
  const keys = [
    'state',
    'reason',
    'readyWorkerReplicas',
    'availableWorkerReplicas',
    'desiredWorkerReplicas',
    'minWorkerReplicas',
    'maxWorkerReplicas',
  ] as const;
  for (const k of keys) if ((o[k] ?? undefined) !== (newS[k] ?? undefined)) return true;
  if (JSON.stringify(sortObj(o.endpoints)) !== JSON.stringify(sortObj(newS.endpoints))) return true;
  if (JSON.stringify(sortObj(o.head)) !== JSON.stringify(sortObj(newS.head))) return true;
  return comparableConditions(o.conditions) !== comparableConditions(newS.conditions);
}

/**
 * Whether a status change only moves the ready and available worker counts (nothing a reader acts on: state,
 * reason, conditions, head, endpoints and the desired/min/max counts are the same). During a scale-up these
 * change with every pod that turns ready; the reconciler spaces such writes out (`countsOnlyWriteIntervalMs`).
 */
export function onlyReadyCountsChanged(oldS: RayClusterStatus | undefined, newS: RayClusterStatus): boolean {
  const o = oldS ?? {};
  const same = {
    ...newS,
    readyWorkerReplicas: o.readyWorkerReplicas,
    availableWorkerReplicas: o.availableWorkerReplicas,
  };
  return !statusChanged(o, same);
}

function sortObj(o: object | undefined): [string, unknown][] {
  return (
    Object.entries(o ?? {})
      .filter(([, v]) => v !== undefined && v !== '')
      // Code-unit order: a stable order is all the comparison needs, and localeCompare would map ICU's
      // collation data into the process (~3 MiB of RSS, docs/performance.md).
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  );
}
