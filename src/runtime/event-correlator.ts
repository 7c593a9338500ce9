/**
 * What client-go's event correlator does before an Event is written, as pure code:
 * - a spam filter per involved object: a token bucket of 25 events refilled at one per 5 minutes; events
 *   beyond it are dropped (so a cluster scaling to 1000 pods writes a few dozen events, not 1000);
 * - aggregation: the 10th and later events within 10 minutes that share object, type and reason but differ in
 *   message become one Event "(combined from similar events): <latest message>" whose count grows;
 * - de-duplication: an exact repeat (same object, type, reason, message) bumps the count of the Event already
 *   written instead of creating a new one.
 * The recorder (events.ts) does the I/O.
 */
export interface CorrelatorOptions {
  readonly burst?: number;
  readonly refillEveryMs?: number;
  readonly maxSimilar?: number;
  readonly similarWindowMs?: number;
  /** Remembered objects and events (LRU); default 4096. */
  readonly cacheSize?: number;
}

interface EventFacts {
  /** Identifies the involved object (kind, namespace, name, uid). */
  readonly objectKey: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

/** `create`: write a new Event under `key`; `repeat`: bump the Event written under `key`; `drop`: spam. */
export type Correlation =
  | { readonly kind: 'create'; readonly key: string; readonly message: string }
  | { readonly kind: 'repeat'; readonly key: string; readonly message: string }
  | { readonly kind: 'drop' };

export const aggregatePrefix = '(combined from similar events): ';

interface Bucket {
  tokens: number;
  at: number;
}

interface Similar {
  messages: Set<string>;
  since: number;
}

export class EventCorrelator {
  readonly #burst: number;
  readonly #refillMs: number;
  readonly #maxSimilar: number;
  readonly #windowMs: number;
  readonly #max: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #similar = new Map<string, Similar>();
  readonly #written = new Set<string>();

  constructor(options: CorrelatorOptions = {}) {
    this.#burst = options.burst ?? 25;
    this.#refillMs = options.refillEveryMs ?? 5 * 60_000;
    this.#maxSimilar = options.maxSimilar ?? 10;
    this.#windowMs = options.similarWindowMs ?? 10 * 60_000;
    this.#max = options.cacheSize ?? 4096;
  }

  correlate(e: EventFacts, now: number): Correlation {
    if (!this.#take(e.objectKey, now)) return { kind: 'drop' };
    const similarKey = [e.objectKey, e.type, e.reason].join('\u0000');
    let similar = this.#similar.get(similarKey);
    if (!similar || now - similar.since > this.#windowMs) {
      similar = { messages: new Set(), since: now };
    }
    similar.messages.add(e.message);
    remember(this.#similar, similarKey, similar, this.#max);
    const aggregated = similar.messages.size >= this.#maxSimilar;
    const message = aggregated ? `${aggregatePrefix}${e.message}` : e.message;
    const key = aggregated ? `${similarKey}\u0000*` : `${similarKey}\u0000${e.message}`;
    if (this.#written.has(key)) {
      this.#written.delete(key);
      this.#written.add(key);
      return { kind: 'repeat', key, message };
    }
    this.#written.add(key);
    while (this.#written.size > this.#max) this.#written.delete(this.#written.values().next().value!);
    return { kind: 'create', key, message };
  }

  /** The Event written under `key` is gone (e.g. expired): the next one under it is created anew. */
  forget(key: string): void {
    this.#written.delete(key);
  }

  #take(objectKey: string, now: number): boolean {
    const b = this.#buckets.get(objectKey) ?? { tokens: this.#burst, at: now };
    const refilled = Math.min(this.#burst, b.tokens + (now - b.at) / this.#refillMs);
    const ok = refilled >= 1;
    remember(this.#buckets, objectKey, { tokens: ok ? refilled - 1 : refilled, at: now }, this.#max);
    return ok;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value!);
}
