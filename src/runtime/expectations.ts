import { type Clock, systemClock } from '../lib/clock.ts';

export type ScaleAction = 'create' | 'delete';

interface Expected {
  readonly action: ScaleAction;
  readonly at: number;
}

/**
 * Scale expectations: after creating or deleting pods a reconciler records what it did, and later reconciles
 * wait until the informer cache shows it, so a stale cache never causes a double create or delete. An
 * expectation is met when observed (a created object is in the cache, a deleted one is gone) or after
 * `timeoutMs` (default 30 s), so a lost event cannot block a key forever.
 */
export class ScaleExpectations {
  readonly #entries = new Map<string, Map<string, Map<string, Expected>>>();
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  constructor(options: { clock?: Clock; timeoutMs?: number } = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Records that `name` in `group` of `key` (e.g. a RayCluster key and a worker group) was created/deleted. */
  expect(key: string, group: string, name: string, action: ScaleAction): void {
    let groups = this.#entries.get(key);
    if (!groups) {
      groups = new Map();
      this.#entries.set(key, groups);
    }
    let names = groups.get(group);
    if (!names) {
      names = new Map();
      groups.set(group, names);
    }
    names.set(name, { action, at: this.#clock.now() });
  }

  /**
   * Whether every expectation of key+group is met; `exists(name)` tells whether the cache has the object.
   * Met expectations are dropped.
   */
  isSatisfied(key: string, group: string, exists: (name: string) => boolean): boolean {
    const names = this.#entries.get(key)?.get(group);
    if (!names) return true;
    const now = this.#clock.now();
    for (const [name, e] of names) {
      const observed = e.action === 'create' ? exists(name) : !exists(name);
      if (observed || now - e.at >= this.#timeoutMs) names.delete(name);
    }
    if (names.size === 0) this.#entries.get(key)?.delete(group);
    return names.size === 0;
  }

  /** Pending expectation count of key+group (for logs and tests). */
  pending(key: string, group: string): number {
    return this.#entries.get(key)?.get(group)?.size ?? 0;
  }

  /** Forgets one group, or every group of the key (when the owner is deleted). */
  delete(key: string, group?: string): void {
    if (group === undefined) this.#entries.delete(key);
    else this.#entries.get(key)?.delete(group);
  }
}
