import { type Clock, systemClock } from '../lib/clock.ts';
import type { RequestObservation } from './rest.ts';
import type { TokenBucket } from './token-bucket.ts';

interface AdaptiveRateOptions {
  /** The starting rate, and the rate after an idle spell (KubeRay's --qps default, 100). */
  readonly qps: number;
  /** The bucket's size at `qps`; it grows and shrinks with the rate in the same ratio (KubeRay's --burst, 200). */
  readonly burst: number;
  /** The highest rate it climbs to; default 5 x `qps`. */
  readonly maxQps?: number;
  /** The lowest rate it backs off to; default `qps` / 4. */
  readonly minQps?: number;
  /** How often the rate is reconsidered, from the requests of the last window; default 1000 ms. */
  readonly windowMs?: number;
  /** A window whose median answer takes longer than this is a sign of a loaded API server; default 1000 ms. */
  readonly slowMs?: number;
  /** After this long without a request the rate starts again from `qps`; default 30000 ms. */
  readonly idleResetMs?: number;
}

/** What the last window saw and what was decided (for tests and the debug log). */
type RateDecision = 'throttled' | 'slow' | 'errors' | 'raise' | 'hold' | 'idle-reset';

interface Window {
  start: number;
  last: number;
  count: number;
  throttled: number;
  errors: number;
  waited: number;
  durations: number[];
}

/** Requests that waited at least this long for a token show that the rate, not the server, held them. */
const WAITED_MS = 10;
/** How many such requests in a window make it worth raising the rate. */
const WAITED_TO_RAISE = 5;
/**
 * The factor a window raises the rate by: 100 -> 200 -> 400 -> 500, three windows to the top (x1.5 took four, and
 * in the session-11 traces creates waited for tokens through the whole ramp).
 */
const RAISE = 2;
/** Fewer answers than this in a window say nothing about the server's latency. */
const MIN_SAMPLES = 5;

/**
 * An adaptive client rate limit (decision 11): the token bucket starts at KubeRay's rate, climbs (x2 a window)
 * while callers queue for tokens and the API server answers quickly without 429s, and backs off when the server
 * says it is loaded: halves on a 429 (API Priority and Fairness rejecting), x0.75 when the median answer takes
 * longer than `slowMs` or requests fail with 5xx. Used only when --qps/--burst are not set (an explicit value keeps
 * KubeRay's meaning: a fixed limit). It keeps no timer: each request's observation closes the window it ends.
 */
export class AdaptiveRate {
  readonly #bucket: TokenBucket;
  readonly #clock: Clock;
  readonly #base: number;
  readonly #ratio: number;
  readonly #max: number;
  readonly #min: number;
  readonly #windowMs: number;
  readonly #slowMs: number;
  readonly #idleResetMs: number;
  #window: Window;
  #lastDecision: RateDecision = 'hold';

  constructor(bucket: TokenBucket, options: AdaptiveRateOptions, clock: Clock = systemClock) {
    if (!(options.qps > 0)) throw new RangeError(`qps must be > 0, got ${options.qps}`);
    if (!(options.burst >= 1)) throw new RangeError(`burst must be >= 1, got ${options.burst}`);
    this.#bucket = bucket;
    this.#clock = clock;
    this.#base = options.qps;
    this.#ratio = options.burst / options.qps;
    this.#max = Math.max(options.qps, options.maxQps ?? options.qps * 5);
    this.#min = Math.min(options.qps, options.minQps ?? options.qps / 4);
    this.#windowMs = options.windowMs ?? 1000;
    this.#slowMs = options.slowMs ?? 1000;
    this.#idleResetMs = options.idleResetMs ?? 30_000;
    this.#window = this.#fresh(clock.now());
    this.#apply(options.qps);
  }

  get qps(): number {
    return this.#bucket.qps;
  }

  get lastDecision(): RateDecision {
    return this.#lastDecision;
  }

  /** Feeds one finished request (RestClientOptions.observe). */
  observe(o: Pick<RequestObservation, 'code' | 'durationMs' | 'rateLimitWaitMs'>): void {
    const now = this.#clock.now();
    const w = this.#window;
    if (now - w.last >= this.#idleResetMs) {
      this.#decide('idle-reset', this.#base);
      this.#window = this.#fresh(now);
    } else if (now - w.start >= this.#windowMs) {
      this.#close(w);
      this.#window = this.#fresh(now);
    }
    this.#add(this.#window, o, now);
  }

  #fresh(now: number): Window {
    return { start: now, last: now, count: 0, throttled: 0, errors: 0, waited: 0, durations: [] };
  }

  #add(w: Window, o: Pick<RequestObservation, 'code' | 'durationMs' | 'rateLimitWaitMs'>, now: number): void {
    w.last = now;
    w.count++;
    if (o.code === '429') w.throttled++;
    else if (o.code === '<error>' || o.code.startsWith('5')) w.errors++;
    if (o.rateLimitWaitMs >= WAITED_MS) w.waited++;
    w.durations.push(o.durationMs);
  }

  #close(w: Window): void {
    const qps = this.#bucket.qps;
    if (w.throttled > 0) this.#decide('throttled', qps * 0.5);
    else if (w.durations.length >= MIN_SAMPLES && median(w.durations) > this.#slowMs)
      this.#decide('slow', qps * 0.75);
    else if (w.errors > 0) this.#decide('errors', qps * 0.75);
    else if (w.waited >= WAITED_TO_RAISE) this.#decide('raise', qps * RAISE);
    else this.#lastDecision = 'hold';
  }

  #decide(decision: RateDecision, qps: number): void {
    this.#lastDecision = decision;
    this.#apply(Math.min(this.#max, Math.max(this.#min, qps)));
  }

  #apply(qps: number): void {
    if (qps === this.#bucket.qps && this.#bucket.burst === burstFor(qps, this.#ratio)) return;
    this.#bucket.setRate(qps, burstFor(qps, this.#ratio));
  }
}

function burstFor(qps: number, ratio: number): number {
  return Math.max(1, Math.round(qps * ratio));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
