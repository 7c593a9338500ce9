import type { Pod } from '../../api/index.ts';
import { findCondition } from '../common/conditions.ts';
import { podHealthReason } from './messages.ts';
import { rayContainerTerminated } from './terminated-state.ts';

/**
 * KubeRay's shouldDeletePod: terminal pods, or a dead Ray container under restartPolicy Never; the
 * reason is KubeRay's text (messages.ts), written only when read: every reconcile asks this of every pod, and
 * nearly all are fine.
 */
export function shouldDeletePod(pod: Pod, nodeType: 'head' | 'worker'): { delete: boolean; reason: string } {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return verdict(pod, nodeType, 'terminal', true);
  if (phase === 'Running' && rayContainerTerminated(pod)) {
    if (pod.spec.restartPolicy === 'Never') return verdict(pod, nodeType, 'never', true);
    return verdict(pod, nodeType, 'restarts', false);
  }
  return verdict(pod, nodeType, 'fine', false);
}

function verdict(
  pod: Pod,
  nodeType: 'head' | 'worker',
  kind: Parameters<typeof podHealthReason>[2],
  del: boolean,
): { delete: boolean; reason: string } {
  return {
    delete: del,
    get reason() {
      return podHealthReason(pod, nodeType, kind);
    },
  };
}

export function isRunningAndReady(pod: Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).every((c) => c.type !== 'Ready' || c.status === 'True');
}

export function podReadyCondition(pod: Pod) {
  return findCondition(pod.status?.conditions, 'Ready');
}
