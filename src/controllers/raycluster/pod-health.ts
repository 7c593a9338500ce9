import type { Pod } from '../../builders/raycluster/index.ts';
import { findCondition } from '../common/conditions.ts';

/** KubeRay's shouldDeletePod (§3.5): terminal pods, or a dead Ray container under restartPolicy Never. */
export function shouldDeletePod(pod: Pod): { delete: boolean; reason: string } {
  const phase = pod.status?.phase;
  const name = pod.metadata.name;
  if (phase === 'Failed' || phase === 'Succeeded')
    return {
      delete: true,
      reason: `The Pod status of Pod ${name} is ${phase}, which is a terminal state. KubeRay will delete the Pod and create new Pods in the next reconciliation if necessary.`,
    };
  if (phase === 'Running') {
    const rayName = pod.spec.containers[0]?.name;
    const cs = pod.status?.containerStatuses?.find((s) => s.name === rayName);
    if (cs?.state?.terminated) {
      if (pod.spec.restartPolicy === 'Never')
        return {
          delete: true,
          reason: `The Pod ${name} is running, but the Ray container is terminated and restartPolicy is Never. KubeRay will delete the Pod and create new Pods in the next reconciliation if necessary.`,
        };
      return {
        delete: false,
        reason: `The Ray container of Pod ${name} is terminated; the kubelet will restart it.`,
      };
    }
  }
  return { delete: false, reason: '' };
}

export function isRunningAndReady(pod: Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).every((c) => c.type !== 'Ready' || c.status === 'True');
}

export function podReadyCondition(pod: Pod) {
  return findCondition(pod.status?.conditions, 'Ready');
}
