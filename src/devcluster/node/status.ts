import type { ContainerStatus, PodCondition, PodStatus } from '../../api/k8s-types.ts';

/** What the pod worker knows about a pod, from which its status is computed. */
export interface PodRuntimeView {
  readonly restartPolicy: string;
  readonly hostIP: string;
  readonly podIP?: string;
  readonly startTime: string;
  /** The sandbox (network namespace and mounts) exists. */
  readonly sandboxReady: boolean;
  /** Every init container has completed. */
  readonly initialized: boolean;
  /** A failure that ends the pod (e.g. an init container failed with restartPolicy Never). */
  readonly failed?: { reason: string; message: string };
  readonly init: readonly ContainerStatus[];
  readonly containers: readonly ContainerStatus[];
}

/** Pending, Running, Succeeded or Failed, by the kubelet's rules. */
export function podPhase(v: PodRuntimeView): string {
  if (v.failed) return 'Failed';
  if (!v.initialized) return 'Pending';
  const cs = v.containers;
  const neverStarted = cs.every((c) => c.restartCount === 0 && c.state?.waiting);
  if (neverStarted) return 'Pending';
  const allTerminated = cs.every((c) => c.state?.terminated);
  if (allTerminated && v.restartPolicy !== 'Always') {
    return cs.every((c) => c.state?.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  return 'Running';
}

function condition(
  type: string,
  ok: boolean,
  prev: readonly PodCondition[] | undefined,
  now: string,
  reason?: string,
): PodCondition {
  const status = ok ? 'True' : 'False';
  const before = prev?.find((c) => c.type === type);
  const c: PodCondition = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime:
      before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now,
  };
  if (!ok && reason) c.reason = reason;
  return c;
}

/**
 * The pod status to write: phase, the five conditions (transition times kept from `prev` while a condition
 * does not change), IPs and container statuses.
 */
export function computePodStatus(v: PodRuntimeView, prev: PodStatus | undefined, now: string): PodStatus {
  const phase = podPhase(v);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const containersReady = v.containers.length > 0 && v.containers.every((c) => c.ready);
  const pc = prev?.conditions;
  const notReadyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const status: PodStatus = {
    phase,
    conditions: [
      condition('PodReadyToStartContainers', v.sandboxReady, pc, now),
      condition('Initialized', v.initialized || (done && !v.failed), pc, now, 'ContainersNotInitialized'),
      condition('Ready', containersReady, pc, now, notReadyReason),
      condition('ContainersReady', containersReady, pc, now, notReadyReason),
      condition('PodScheduled', true, pc, now),
    ],
    hostIP: v.hostIP,
    hostIPs: [{ ip: v.hostIP }],
    startTime: v.startTime,
    containerStatuses: [...v.containers],
  };
  if (v.podIP) {
    status.podIP = v.podIP;
    status.podIPs = [{ ip: v.podIP }];
  }
  if (v.init.length > 0) status.initContainerStatuses = [...v.init];
  if (v.failed) {
    status.reason = v.failed.reason;
    status.message = v.failed.message;
  }
  return status;
}
