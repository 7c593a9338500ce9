import type { Pod } from '../../api/index.ts';
import { findCondition } from '../common/conditions.ts';
import { podHealthReason } from './messages.ts';
import { rayContainerTerminated } from './terminated-state.ts';

/**
 * KubeRay's shouldDeletePod: terminal pods, or a dead Ray container under restartPolicy Never; the
 * reason is KubeRay's text (messages.ts), written only when read: every reconcile asks this of every pod, and
 * nearly all are fine.
 */
export function shouldDeletePod(
  pod: Pod,
  nodeType: 'head' | 'worker',
): { readonly delete: boolean; readonly reason: string } {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return new Verdict(pod, nodeType, 'terminal', true);
  if (phase === 'Running' && rayContainerTerminated(pod)) {
    if (pod.spec.restartPolicy === 'Never') return new Verdict(pod, nodeType, 'never', true);
    return new Verdict(pod, nodeType, 'restarts', false);
  }
  return new Verdict(pod, nodeType, 'fine', false);
}

/**
 * A verdict whose reason is KubeRay's text, built only when read. A class rather than an object literal with a
 * getter: a literal's accessor is defined anew on every call (measured at 0.35 s of CPU in a 20 x 100 scale-up,
 * where every reconcile asks this of every pod), a class's lives once on its prototype.
 */
class Verdict {
  readonly delete: boolean;
  readonly #pod: Pod;
  readonly #nodeType: 'head' | 'worker';
  readonly #kind: Parameters<typeof podHealthReason>[2];

  constructor(
    pod: Pod,
    nodeType: 'head' | 'worker',
    kind: Parameters<typeof podHealthReason>[2],
    del: boolean,
  ) {
    this.delete = del;
    this.#pod = pod;
    this.#nodeType = nodeType;
    this.#kind = kind;
  }

  get reason(): string {
    return podHealthReason(this.#pod, this.#nodeType, this.#kind);
  }
}

export function isRunningAndReady(pod: Pod): boolean {
  if (pod.status?.phase !== 'Running') return false;
  return (pod.status.conditions ?? []).every((c) => c.type !== 'Ready' || c.status === 'True');
}

export function podReadyCondition(pod: Pod) {
  return findCondition(pod.status?.conditions, 'Ready');
}
