import { type Clock, systemClock } from '../lib/clock.ts';

/**
 * A token bucket like client-go's client-side limiter: `qps` tokens per second refill a bucket of `burst`
 * tokens; `reserve()` takes one token and returns how long the caller must wait for it (0 when one was there).
 * Reservations queue fairly: each waiter gets the next refill in order.
 */
export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;
  constructor(qps: number, burst: number, clock: Clock = systemClock) {
    if (!(qps > 0)) throw new RangeError(`qps must be > 0, got ${qps}`);
    if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
    this.qps = qps;
    this.burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#last = clock.now();
  }

  /** Takes a token (possibly going into debt) and returns the wait in ms before it may be used. */
  reserve(): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.qps);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.qps) * 1000);
  }

  /** Resolves when the caller may send its request. */
  wait(): Promise<number> {
    const ms = this.reserve();
    if (ms === 0) return Promise.resolve(0);
    return new Promise((resolve) => this.#clock.setTimeout(() => resolve(ms), ms));
  }
}
