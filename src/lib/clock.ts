/** Time source. Pure code takes a `Clock` (or a `now` value) so tests can drive time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Cancel;
}
export type Cancel = () => void;

/** A Kubernetes `metav1.Time`: RFC 3339 in UTC with whole seconds (the fraction is dropped). */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to; timers fire in time order during `advance`. */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  constructor(start = 0) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): Cancel {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }
  /** Number of timers still waiting. */
  pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const live = this.#timers.filter((t) => !t.cancelled && t.at <= end);
      if (live.length === 0) break;
      live.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = live[0]!;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = next.at;
      next.fn();
    }
    this.#now = end;
    this.#timers = this.#timers.filter((t) => !t.cancelled);
  }
}
