/**
 * The chaos suites' two profiles, same code: the short one runs in CI (`scripts/test-all`), the long one with
 * `KUBERAY_TS_CHAOS=long`. The seed comes from `KUBERAY_TS_CHAOS_SEED` or the clock, and every report prints
 * it, so a failure can be replayed.
 */
export function profile<T>(p: { short: T; long: T }): T & { seed: number; long: boolean } {
  const long = process.env.KUBERAY_TS_CHAOS === 'long';
  const seed = Number(process.env.KUBERAY_TS_CHAOS_SEED) || Date.now() % 2 ** 31;
  return { ...(long ? p.long : p.short), seed, long };
}

/** A small deterministic generator (mulberry32): the same seed gives the same churn. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
