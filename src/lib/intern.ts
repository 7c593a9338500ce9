/**
 * One copy of each repeated string in the informer cache. `JSON.parse` makes a new string for every value it
 * reads, so 5,000 cached pods hold 5,000 copies of their image, their scheduler's name, their owner's kind, each
 * condition's type and the same few timestamps: measured on a heap snapshot at 50 x 100 pods, duplicates were
 * 6.2 of the cache's 11 MiB of strings (docs/performance.md). Strings are immutable, so handing out one shared
 * instance changes nothing a reader can see.
 *
 * The table is bounded: when it holds `max` strings it is emptied and starts again (a value seen after that
 * gets a new shared copy; nothing breaks, a few copies are kept twice).
 */
export class StringInterner {
  readonly #max: number;
  readonly #maxLength: number;
  #table = new Map<string, string>();

  constructor(options: { max?: number; maxLength?: number } = {}) {
    this.#max = options.max ?? 20_000;
    this.#maxLength = options.maxLength ?? 512;
  }

  get size(): number {
    return this.#table.size;
  }

  /** The shared copy of `s` (`s` itself the first time it is seen, or when it is longer than `maxLength`). */
  intern(s: string): string {
    if (s.length > this.#maxLength) return s;
    const shared = this.#table.get(s);
    if (shared !== undefined) return shared;
    if (this.#table.size >= this.#max) this.#table = new Map();
    this.#table.set(s, s);
    return s;
  }

  /**
   * Replaces, in place, every string value inside `value` (objects and arrays, at any depth) by its shared copy,
   * except the values of properties named in `skip` (values unique to one object, such as `uid`, which would
   * only fill the table). Object keys are left alone: V8 already keeps one copy of each property name.
   */
  internValues(value: unknown, skip: ReadonlySet<string>): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        if (typeof v === 'string') value[i] = this.intern(v);
        else if (v !== null && typeof v === 'object') this.internValues(v, skip);
      }
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    for (const k in o) {
      if (skip.has(k)) continue;
      const v = o[k];
      if (typeof v === 'string') o[k] = this.intern(v);
      else if (v !== null && typeof v === 'object') this.internValues(v, skip);
    }
  }
}
