import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import type { Logger } from '../../lib/logger.ts';
import { type EventRecorder, type EventType, KubeEventRecorder } from '../../runtime/events.ts';

export type { EventType };

/** What controllers record events through: reason plus action. */
export interface EventSink {
  event(obj: KubeObject, type: EventType, reason: string, action: string, message: string): void;
}

/** Keeps events in memory; for unit tests and for callers that only count. */
export class MemoryEventSink implements EventSink {
  readonly events: { type: EventType; reason: string; action: string; message: string; name: string }[] = [];
  event(obj: KubeObject, type: EventType, reason: string, action: string, message: string): void {
    this.events.push({ type, reason, action, message, name: obj.metadata.name ?? '' });
  }
}

/**
 * The EventSink of the RayCluster, NetworkPolicy and mTLS controllers over the operator's one event recorder
 * (core/v1 Events with client-go's spam filter and aggregation, written through a client of its own).
 */
export class RecorderEventSink implements EventSink {
  readonly #recorder: EventRecorder;
  constructor(recorder: EventRecorder) {
    this.#recorder = recorder;
  }
  event(obj: KubeObject, type: EventType, reason: string, action: string, message: string): void {
    this.#recorder.event(obj, type, reason, message, action);
  }
}

/** A sink of its own for a controller built without one (tests, the benchmark). */
export function defaultEventSink(client: KubeClient, component: string, logger?: Logger): EventSink {
  return new RecorderEventSink(
    new KubeEventRecorder({
      client,
      component: 'kuberay-operator',
      instance: component,
      ...(logger ? { logger } : {}),
    }),
  );
}
