import { type Cancel, type Clock, systemClock } from '../lib/clock.ts';
import { currentFlow } from './flow.ts';

interface Waiter {
  readonly enqueued: number;
  readonly resolve: (waitedMs: number) => void;
}

/**
 * client-go's token bucket (`qps` tokens per second into a bucket of `burst`), with the tokens shared fairly
 * between flows (src/k8s/flow.ts). A caller takes a token at once when one is there and nobody is queued;
 * otherwise it queues behind the other callers of its own flow, and each new token goes to the next flow in
 * turn (round robin). So the total rate is exactly the bucket's, but a flow with one request waits for at most
 * one token per other waiting flow, not for every queued request of a busy flow.
 */
export class TokenBucket {
  #qps: number;
  #burst: number;
  readonly #clock: Clock;
  readonly #flowOf: () => string;
  #tokens: number;
  #last: number;
  /** Queued callers per flow; a Map iterates in insertion order, which is the round robin. */
  readonly #queues = new Map<string, Waiter[]>();
  #timer: Cancel | undefined;

  constructor(qps: number, burst: number, clock: Clock = systemClock, flowOf: () => string = currentFlow) {
    if (!(qps > 0)) throw new RangeError(`qps must be > 0, got ${qps}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#flowOf = flowOf;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  get qps(): number {
    return this.#qps;
  }

  get burst(): number {
    return this.#burst;
  }

  /**
   * Changes the rate and the bucket's size from now on (the adaptive limiter, src/k8s/adaptive-rate.ts). Tokens
   * already earned are kept up to the new size; queued callers are served at the new rate.
   */
  setRate(qps: number, burst: number): void {
    if (!(qps > 0)) throw new RangeError(`qps must be > 0, got ${qps}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
    this.#refill();
    this.#qps = qps;
    this.#burst = burst;
    this.#tokens = Math.min(this.#tokens, burst);
    if (this.#timer) {
      this.#timer();
      this.#timer = undefined;
    }
    this.#schedule();
  }

  /** Callers queued, over all flows. */
  get queued(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.length;
    return n;
  }

  /** Resolves with the milliseconds waited when the caller may send its request. */
  wait(): Promise<number> {
    this.#refill();
    if (this.#queues.size === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve(0);
    }
    const flow = this.#flowOf();
    return new Promise((resolve) => {
      const waiter = { enqueued: this.#clock.now(), resolve };
      const q = this.#queues.get(flow);
      if (q) q.push(waiter);
      else this.#queues.set(flow, [waiter]);
      this.#schedule();
    });
  }

  #refill(): void {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#qps);
    this.#last = now;
  }

  #schedule(): void {
    if (this.#timer || this.#queues.size === 0) return;
    const ms = this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.#qps) * 1000);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#dispatch();
    }, ms);
  }

  /** Hands each whole token to the first waiter of the next flow in turn. */
  #dispatch(): void {
    this.#refill();
    while (this.#tokens >= 1 && this.#queues.size > 0) {
      const [flow, q] = this.#queues.entries().next().value as [string, Waiter[]];
      const waiter = q.shift() as Waiter;
      // The flow goes to the back of the round (or leaves it when it has nobody left).
      this.#queues.delete(flow);
      if (q.length > 0) this.#queues.set(flow, q);
      this.#tokens -= 1;
      waiter.resolve(this.#clock.now() - waiter.enqueued);
    }
    this.#schedule();
  }
}
