import { randomBytes } from 'node:crypto';
import { isNamespaceTerminating, isNotFound } from '../k8s/api-error.ts';
import type { KubeClient } from '../k8s/client.ts';
import { Resources } from '../k8s/resources.ts';
import { type Clock, metaTime, systemClock } from '../lib/clock.ts';
import { errorMessage } from '../lib/errors.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';
import { type CorrelatorOptions, EventCorrelator } from './event-correlator.ts';

export type EventType = 'Normal' | 'Warning';

/** What an Event is about: the fields its `involvedObject` is made of (any Kubernetes object has them). */
export interface EventSubject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
  };
}

/**
 * One core/v1 Event, by name so that no two strings can be swapped: `reason` is the machine-readable cause
 * (`CreatedService`), `message` the human text, `action` (optional) what was done (`Create`), written to the
 * Event's `action` field.
 */
export interface EventRecord {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly action?: string;
}

/** What controllers record Events through; src/controllers/common/events.ts re-exports it as the kit's. */
export interface EventRecorder {
  record(obj: EventSubject, event: EventRecord): void;
}

/**
 * Hands each controller a recorder whose Events say who wrote them (`source.component` and
 * `reportingComponent`), as controller-runtime's `GetEventRecorderFor(name)`.
 */
export interface EventRecorderProvider {
  recorderFor(component: string): EventRecorder;
}

interface EventRecorderOptions {
  readonly client: KubeClient;
  /** source.component and reportingComponent of `record` (recorderFor names its own); default 'kuberay-operator'. */
  readonly component?: string;
  /** reportingInstance and source.host; default the component. */
  readonly instance?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Remembered events for de-duplication (LRU); default 4096. */
  readonly cacheSize?: number;
  /** Events waiting to be sent beyond this are dropped (and logged); default 1000. */
  readonly maxPending?: number;
  /** Spam filter and aggregation settings (client-go's defaults). */
  readonly correlator?: CorrelatorOptions;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
  firstTimestamp: string;
}

/**
 * A write waiting in the queue, and the repeats of the same Event recorded while it waits: they are folded into
 * it (`count` more occurrences, the latest message and time) instead of each queueing a write of its own.
 */
interface Queued {
  count: number;
  message: string;
  readonly first: number;
  last: number;
}

function objectKey(obj: EventSubject): string {
  const m = obj.metadata;
  return [obj.apiVersion, obj.kind, m.namespace, m.name, m.uid].join('\u0000');
}

/**
 * Records core/v1 Events asynchronously (recording never blocks or fails a reconcile), one write at a time,
 * through client-go's correlation (event-correlator.ts): per-object spam filter, aggregation of similar events,
 * and a repeat bumps `count` and `lastTimestamp` of the Event already written. Repeats recorded while a write of
 * the same Event still waits in the queue join that write, so a burst of them (a scale-up's aggregated
 * CreatedWorkerPod events) costs one request, not one each; the Event ends with the same count, message and
 * times as if each had been written. Give it a client of its own (as controller-runtime does) so events never
 * take the controllers' request budget.
 */
export class KubeEventRecorder implements EventRecorder, EventRecorderProvider {
  readonly #opts: EventRecorderOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #seen = new Map<string, Seen>();
  readonly #correlator: EventCorrelator;
  /** Writes not yet started, by correlation key (repeats join them). */
  readonly #queued = new Map<string, Queued>();
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;

  constructor(options: EventRecorderOptions) {
    this.#opts = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? nullLogger).child({ component: 'event-recorder' });
    this.#correlator = new EventCorrelator(options.correlator);
  }

  record(obj: EventSubject, event: EventRecord): void {
    this.#record(this.#opts.component ?? 'kuberay-operator', obj, event);
  }

  /** A recorder sharing this one's queue, spam filter and client, whose Events name `component` as source. */
  recorderFor(component: string): EventRecorder {
    return { record: (obj, event) => this.#record(component, obj, event) };
  }

  #record(component: string, obj: EventSubject, event: EventRecord): void {
    const { type, reason, message } = event;
    const c = this.#correlator.correlate(
      { objectKey: `${component}\u0000${objectKey(obj)}`, type, reason, message },
      this.#clock.now(),
    );
    if (c.kind === 'drop') {
      this.#log.debug('event dropped by the spam filter', { reason, name: obj.metadata.name });
      return;
    }
    const at = this.#clock.now();
    const waiting = this.#queued.get(c.key);
    if (waiting) {
      waiting.count++;
      waiting.message = c.message;
      waiting.last = at;
      return;
    }
    if (this.#pending >= (this.#opts.maxPending ?? 1000)) {
      this.#log.warn('event dropped, too many pending', { reason, name: obj.metadata.name });
      this.#correlator.forget(c.key);
      return;
    }
    this.#pending++;
    const queued: Queued = { count: 1, message: c.message, first: at, last: at };
    this.#queued.set(c.key, queued);
    this.#chain = this.#chain
      .then(() => {
        // From here on the write is under way: a repeat recorded now queues a write of its own.
        this.#queued.delete(c.key);
        return this.#send(component, obj, type, reason, c.kind, c.key, queued, event.action);
      })
      .catch((err) => {
        this.#correlator.forget(c.key);
        // A namespace being deleted takes no new events: expected, not worth a warning.
        if (isNamespaceTerminating(err))
          this.#log.debug('event not recorded', { error: errorMessage(err), reason });
        else this.#log.warn('event not recorded', { error: errorMessage(err), reason });
      })
      .finally(() => {
        this.#pending--;
      });
  }

  /** Resolves when every event recorded so far has been sent (or failed). */
  flush(): Promise<void> {
    return this.#chain;
  }

  async #send(
    component: string,
    obj: EventSubject,
    type: EventType,
    reason: string,
    kind: 'create' | 'repeat',
    key: string,
    queued: Queued,
    action: string | undefined,
  ): Promise<void> {
    const { client } = this.#opts;
    const { count, message } = queued;
    const last = metaTime(queued.last);
    const seen = kind === 'repeat' ? this.#seen.get(key) : undefined;
    if (seen) {
      this.#seen.delete(key);
      try {
        await client.patch(Resources.events, seen.namespace, seen.name, {
          count: seen.count + count,
          lastTimestamp: last,
          message,
        });
        seen.count += count;
        this.#remember(key, seen);
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const first = metaTime(queued.first);
    const instance = this.#opts.instance ?? component;
    const namespace = obj.metadata.namespace || 'default';
    const name = `${obj.metadata.name ?? 'unknown'}.${this.#clock.now().toString(16)}${randomBytes(2).toString('hex')}`;
    await client.createForMetadata(Resources.events, {
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
      ...(action ? { action } : {}),
      count,
      firstTimestamp: first,
      lastTimestamp: last,
      source: { component, host: instance },
      reportingComponent: component,
      reportingInstance: instance,
    });
    this.#remember(key, { namespace, name, count, firstTimestamp: first });
  }

  #remember(key: string, seen: Seen): void {
    this.#seen.set(key, seen);
    const max = this.#opts.cacheSize ?? 4096;
    while (this.#seen.size > max) this.#seen.delete(this.#seen.keys().next().value!);
  }
}

/** One Event kept by MemoryEventRecorder; `component` is set when recorded through `recorderFor`. */
export interface RecordedEvent extends EventRecord {
  readonly obj: EventSubject;
  readonly component?: string;
}

/** A recorder that keeps events in memory (for tests of controllers). */
export class MemoryEventRecorder implements EventRecorder, EventRecorderProvider {
  readonly events: RecordedEvent[] = [];
  record(obj: EventSubject, event: EventRecord): void {
    this.events.push({ obj, ...event });
  }
  recorderFor(component: string): EventRecorder {
    return { record: (obj, event) => this.events.push({ obj, component, ...event }) };
  }
}
