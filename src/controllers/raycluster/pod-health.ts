import type { Pod } from '../../api/index.ts';
import { findCondition } from '../common/conditions.ts';
import { podHealthReason } from './messages.ts';
import { rayContainerTerminated } from './terminated-state.ts';

/**
 * KubeRay's shouldDeletePod: terminal pods, or a dead Ray container under restartPolicy Never; the
 * reason is KubeRay's text (messages.ts).
 */
export function shouldDeletePod(pod: Pod, nodeType: 'head' | 'worker'): { delete: boolean; reason: string } {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded')
    return { delete: true, reason: podHealthReason(pod, nodeType, 'terminal') };
  if (phase === 'Running' && rayContainerTerminated(pod)) {
    if (pod.spec.restartPolicy === 'Never')
      return { delete: true, reason: podHealthReason(pod, nodeType, 'never') };
    return { delete: false, reason: podHealthReason(pod, nodeType, 'restarts') };
  }
  return { delete: false, reason: podHealthReason(pod, nodeType, 'fine') };
}

export function isRunningAndReady(pod: Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).every((c) => c.type !== 'Ready' || c.status === 'True');
}

export function podReadyCondition(pod: Pod) {
  return findCondition(pod.status?.conditions, 'Ready');
}
