import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Logger } from '../../lib/logger.ts';

export type EventType = 'Normal' | 'Warning';

/** What controllers record events through (events.k8s.io/v1: reason plus action). */
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

const eventsV1 = {
  group: 'events.k8s.io',
  version: 'v1',
  plural: 'events',
  kind: 'Event',
  namespaced: true,
} as const;

/**
 * Writes events.k8s.io/v1 Events, fire and forget (a failed event write is logged, never fails a reconcile).
 * TODO(runtime): switch to the runtime's event recorder (with aggregation) once it exists.
 */
export class ApiEventSink implements EventSink {
  readonly #client: KubeClient;
  readonly #controller: string;
  readonly #log: Logger | undefined;
  constructor(client: KubeClient, controller: string, logger?: Logger) {
    this.#client = client;
    this.#controller = controller;
    this.#log = logger;
  }

  event(obj: KubeObject, type: EventType, reason: string, action: string, message: string): void {
    const ns = obj.metadata.namespace ?? 'default';
    const eventTime = new Date().toISOString().replace(/(\.\d{3})Z$/, '$1000Z');
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      eventTime,
      reportingController: this.#controller,
      reportingInstance: this.#controller,
      action,
      reason,
      note: message.slice(0, 1024),
      type,
      regarding: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: ns,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
    };
    this.#client.create(eventsV1, body).catch((e: unknown) => {
      this.#log?.warn('event write failed', { reason, error: String(e) });
    });
  }
}

export { Resources };
