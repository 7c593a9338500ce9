import { type Cancel, type Clock, systemClock } from '../lib/clock.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

interface WorkQueueOptions {
  /** Metric label (the controller name). */
  readonly name?: string;
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter<string>;
  readonly metrics?: RuntimeMetrics;
}

/**
 * A de-duplicating work queue like client-go's: a key waiting in the queue is stored once; a key being
 * processed is handed to no other worker, and if added meanwhile it is queued again when `done` is called.
 * Adds can be delayed (`addAfter`) or backed off per item (`addRateLimited`).
 */
export class WorkQueue {
  readonly name: string;
  readonly #clock: Clock;
  readonly #limiter: RateLimiter<string>;
  readonly #metrics: RuntimeMetrics | undefined;
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Map<string, number>();
  readonly #addedAt = new Map<string, number>();
  readonly #waiting = new Map<string, { at: number; cancel: Cancel }>();
  #getters: ((key: string | undefined) => void)[] = [];
  #idle: (() => void)[] = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.name = options.name ?? 'queue';
    this.#clock = options.clock ?? systemClock;
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter(this.#clock);
    this.#metrics = options.metrics;
    this.#metrics?.inFlight.set(this.name, () => this.#inFlight());
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Keys waiting to be handed out (not counting delayed ones or ones being processed). */
  len(): number {
    return this.#queue.length;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#metrics?.adds.inc(this.#labels());
    this.#dirty.add(key);
    this.#addedAt.set(key, this.#clock.now());
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  /** Adds after `ms`; when the key already waits, the earlier time wins. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = this.#clock.now() + ms;
    const existing = this.#waiting.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.#clock.setTimeout(() => {
      this.#waiting.delete(key);
      this.add(key);
    }, ms);
    this.#waiting.set(key, { at, cancel });
  }

  /** Adds after the key's backoff (exponential in its failures since the last `forget`). */
  addRateLimited(key: string): void {
    this.#metrics?.retries.inc(this.#labels());
    this.addAfter(key, this.#limiter.when(key));
  }

  /** Clears the key's failure count (after a successful reconcile). */
  forget(key: string): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#limiter.numRequeues(key);
  }

  /** Waits for the next key; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    const key = this.#queue.shift();
    if (key !== undefined) return Promise.resolve(this.#take(key));
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks the key finished; it is queued again if it was added while being processed. */
  done(key: string): void {
    const started = this.#processing.get(key);
    if (started === undefined) return;
    this.#processing.delete(key);
    this.#metrics?.workDuration.observe(this.#labels(), (this.#clock.now() - started) / 1000);
    if (this.#dirty.has(key) && !this.#shuttingDown) this.#push(key);
    if (this.#processing.size === 0) {
      for (const f of this.#idle) f();
      this.#idle = [];
    }
  }

  /** Stops handing out work: waiting getters get undefined, queued and delayed keys are dropped. */
  shutDown(): void {
    this.#shuttingDown = true;
    for (const w of this.#waiting.values()) w.cancel();
    this.#waiting.clear();
    this.#queue.length = 0;
    this.#metrics?.depth.set(this.#labels(), 0);
    for (const g of this.#getters) g(undefined);
    this.#getters = [];
  }

  /** Shuts down and resolves when every key being processed is done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #push(key: string): void {
    const getter = this.#getters.shift();
    if (getter) {
      getter(this.#take(key));
      return;
    }
    this.#queue.push(key);
    this.#metrics?.depth.set(this.#labels(), this.#queue.length);
  }

  #take(key: string): string {
    const now = this.#clock.now();
    this.#metrics?.depth.set(this.#labels(), this.#queue.length);
    const added = this.#addedAt.get(key);
    if (added !== undefined) this.#metrics?.queueDuration.observe(this.#labels(), (now - added) / 1000);
    this.#addedAt.delete(key);
    this.#dirty.delete(key);
    this.#processing.set(key, now);
    return key;
  }

  #inFlight(): { longest: number; unfinished: number } {
    const now = this.#clock.now();
    let longest = 0;
    let unfinished = 0;
    for (const started of this.#processing.values()) {
      longest = Math.max(longest, (now - started) / 1000);
      unfinished += (now - started) / 1000;
    }
    return { longest, unfinished };
  }

  #labels(): { controller: string; name: string } {
    return { controller: this.name, name: this.name };
  }
}
