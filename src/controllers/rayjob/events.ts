import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Clock } from '../../lib/clock.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';

/** Emits Kubernetes events about an object. Best effort: a failure is logged, never thrown. */
export interface EventRecorder {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, action?: string): void;
}

/**
 * A minimal core/v1 Event writer. TODO(runtime): replace with the shared event recorder from src/runtime/ (with
 * aggregation) once it exists.
 */
export function kubeEventRecorder(
  client: KubeClient,
  clock: Clock,
  logger: Logger,
  component = 'kuberay-operator',
): EventRecorder {
  return {
    event(obj, type, reason, message, action) {
      const now = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const ns = obj.metadata.namespace ?? 'default';
      const body = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${obj.metadata.name}.`, namespace: ns },
        involvedObject: {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: ns,
          uid: obj.metadata.uid,
          resourceVersion: obj.metadata.resourceVersion,
        },
        type,
        reason,
        message,
        ...(action ? { action } : {}),
        source: { component },
        reportingComponent: component,
        reportingInstance: component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      };
      client.create(Resources.events, body as KubeObject).catch((e: unknown) => {
        logger.warn('failed to record event', { reason, error: errorMessage(e) });
      });
    },
  };
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
