/**
 * Exponential backoff with a cap: base * 2^n, at most max. Pure: `next()` returns the delay to wait; the
 * caller owns the timer (so tests drive it with a FakeClock). `jitter` (0..1) spreads reconnect storms.
 */
export class Backoff {
  readonly #base: number;
  readonly #max: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #failures = 0;
  constructor(baseMs: number, maxMs: number, options: { jitter?: number; random?: () => number } = {}) {
    this.#base = baseMs;
    this.#max = maxMs;
    this.#jitter = options.jitter ?? 0;
    this.#random = options.random ?? Math.random;
  }
  get failures(): number {
    return this.#failures;
  }
  next(): number {
    const raw = Math.min(this.#max, this.#base * 2 ** Math.min(this.#failures, 52));
    this.#failures++;
    return Math.round(raw * (1 + this.#jitter * this.#random()));
  }
  reset(): void {
    this.#failures = 0;
  }
}
