import { randomBytes } from 'node:crypto';
import { isNotFound } from '../k8s/api-error.ts';
import type { KubeClient } from '../k8s/client.ts';
import type { KubeObject } from '../k8s/objects.ts';
import { Resources } from '../k8s/resources.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { errorMessage } from '../lib/errors.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';

export type EventType = 'Normal' | 'Warning';

/** What controllers use to record core/v1 Events on the objects they manage. */
export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

export interface EventRecorderOptions {
  readonly client: KubeClient;
  /** source.component and reportingComponent; default 'kuberay-operator'. */
  readonly component?: string;
  /** reportingInstance and source.host; default the component. */
  readonly instance?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Remembered events for de-duplication (LRU); default 4096. */
  readonly cacheSize?: number;
  /** Events waiting to be sent beyond this are dropped (and logged); default 1000. */
  readonly maxPending?: number;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
}

/** The de-duplication key of an event, like client-go's correlator (same object, type, reason, message). */
export function eventKey(obj: KubeObject, type: EventType, reason: string, message: string): string {
  const m = obj.metadata;
  return [obj.apiVersion, obj.kind, m.namespace, m.name, m.uid, type, reason, message].join('\u0000');
}

/**
 * Records Events asynchronously (recording never blocks or fails a reconcile). A repeat of an event already
 * sent increments its `count` and `lastTimestamp` instead of creating a new Event.
 */
export class KubeEventRecorder implements EventRecorder {
  readonly #opts: EventRecorderOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #seen = new Map<string, Seen>();
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(options: EventRecorderOptions) {
    this.#opts = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? nullLogger).child({ component: 'event-recorder' });
  }

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.#pending >= (this.#opts.maxPending ?? 1000)) {
      this.#log.warn('event dropped, too many pending', { reason, name: obj.metadata.name });
      return;
    }
    this.#pending++;
    this.#chain = this.#chain
      .then(() => this.#send(obj, type, reason, message))
      .catch((err) => this.#log.warn('event not recorded', { error: errorMessage(err), reason }))
      .finally(() => {
        this.#pending--;
      });
  }

  /** Resolves when every event recorded so far has been sent (or failed). */
  flush(): Promise<void> {
    return this.#chain;
  }

  async #send(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const { client } = this.#opts;
    const now = new Date(this.#clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const key = eventKey(obj, type, reason, message);
    const seen = this.#seen.get(key);
    if (seen) {
      this.#seen.delete(key);
      try {
        await client.patch(Resources.events, seen.namespace, seen.name, {
          count: seen.count + 1,
          lastTimestamp: now,
        });
        seen.count++;
        this.#remember(key, seen);
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const component = this.#opts.component ?? 'kuberay-operator';
    const instance = this.#opts.instance ?? component;
    const namespace = obj.metadata.namespace || 'default';
    const name = `${obj.metadata.name ?? 'unknown'}.${this.#clock.now().toString(16)}${randomBytes(2).toString('hex')}`;
    await client.create(Resources.events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace, name },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
      },
      type,
      reason,
      message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component, host: instance },
      reportingComponent: component,
      reportingInstance: instance,
    });
    this.#remember(key, { namespace, name, count: 1, firstTimestamp: now });
  }

  #remember(key: string, seen: Seen): void {
    this.#seen.set(key, seen);
    const max = this.#opts.cacheSize ?? 4096;
    while (this.#seen.size > max) this.#seen.delete(this.#seen.keys().next().value!);
  }
}

/** A recorder that keeps events in memory (for tests of controllers). */
export class MemoryEventRecorder implements EventRecorder {
  readonly events: { obj: KubeObject; type: EventType; reason: string; message: string }[] = [];
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ obj, type, reason, message });
  }
}
