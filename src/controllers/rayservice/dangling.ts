/**
 * Deletion deadlines of dangling clusters (owned clusters that are neither active nor pending), kept in memory
 * like KubeRay's: an operator restart restarts the delay. Pure: the caller passes `now` and performs deletes.
 */
export class DanglingClusters {
  readonly #deadlines = new Map<string, number>();

  /**
   * Given the owned cluster names, returns those to delete now. The first sighting records now + delay
   * (delay 0 when the RayService is being deleted), later sightings past the deadline are due.
   */
  due(
    rsKey: string,
    owned: readonly string[],
    keep: readonly string[],
    deleting: boolean,
    delayMs: number,
    now: number,
  ): { dangling: string[]; deleteNow: string[] } {
    const dangling = owned.filter((n) => deleting || !keep.includes(n));
    const deleteNow: string[] = [];
    for (const name of dangling) {
      const key = `${rsKey}/${name}`;
      let deadline = this.#deadlines.get(key);
      if (deadline === undefined || (deleting && deadline > now)) {
        deadline = now + (deleting ? 0 : delayMs);
        this.#deadlines.set(key, deadline);
      }
      if (deleting || now >= deadline) deleteNow.push(name);
    }
    for (const key of [...this.#deadlines.keys()]) {
      if (key.startsWith(`${rsKey}/`) && !dangling.includes(key.slice(rsKey.length + 1)))
        this.#deadlines.delete(key);
    }
    return { dangling, deleteNow };
  }

  /** Milliseconds until the earliest recorded deadline of this RayService, if any. */
  nextDeadlineIn(rsKey: string, now: number): number | undefined {
    let min: number | undefined;
    for (const [k, v] of this.#deadlines)
      if (k.startsWith(`${rsKey}/`)) min = min === undefined ? v : Math.min(min, v);
    return min === undefined ? undefined : Math.max(0, min - now);
  }
}

/** `rayClusterDeletionDelaySeconds`, default 60, negative treated as 0; in ms. */
export function deletionDelayMs(seconds: number | undefined): number {
  return Math.max(0, seconds ?? 60) * 1000;
}
