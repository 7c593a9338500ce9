import type { KubeObject } from '../../k8s/objects.ts';

/**
 * Emits Kubernetes events about an object; best effort. Structurally a superset of src/runtime/events.ts's
 * EventRecorder (the optional `action` is dropped by recorders that do not support it).
 */
export interface EventRecorder {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, action?: string): void;
}

/** Keeps events in memory (unit tests). */
export class MemoryEventRecorder implements EventRecorder {
  readonly events: { type: string; reason: string; message: string; action?: string }[] = [];
  event(
    _obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    action?: string,
  ): void {
    this.events.push({ type, reason, message, ...(action ? { action } : {}) });
  }
}
