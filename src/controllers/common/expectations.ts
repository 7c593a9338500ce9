/**
 * Scale expectations: every pod create or delete the controller issues is remembered until the
 * informer cache shows it, so a reconcile that runs before the cache caught up does not create or delete twice.
 * Kept in memory per operator process. A delete has no timeout (a pod held by a finalizer keeps its group
 * waiting, as in KubeRay).
 *
 * A create is satisfied once the pod is in the cache, once the informer reported it deleted (`podDeleted`: a pod
 * created and removed again before a reconcile saw it), or after `createTimeoutMs`. KubeRay uses 30 s; we use
 * 5 minutes as kube-controller-manager's ReplicaSet controller does, because under load an informer can run
 * more than 30 s behind and a 30 s timeout then creates pods twice (measured: 158 extra pods, later scaled
 * down, in a 100 x 100 benchmark on a loaded 2-core machine). The timeout is only a safety net for a lost
 * watch event; the informer's relist makes that rare.
 */
type ExpectedAction = 'create' | 'delete';

interface Record_ {
  readonly podName: string;
  readonly action: ExpectedAction;
  readonly at: number;
}

/** Looks a pod up in the cache: true when present. */
type PodPresence = (namespace: string, name: string) => boolean;

export class ScaleExpectations {
  readonly #groups = new Map<string, Map<string, Record_>>();
  readonly #createTimeoutMs: number;

  constructor(createTimeoutMs = 5 * 60_000) {
    this.#createTimeoutMs = createTimeoutMs;
  }

  static key(namespace: string, cluster: string, group: string): string {
    return `${namespace}/${cluster}/${group}`;
  }

  expect(
    namespace: string,
    cluster: string,
    group: string,
    podName: string,
    action: ExpectedAction,
    now: number,
  ) {
    const key = ScaleExpectations.key(namespace, cluster, group);
    let records = this.#groups.get(key);
    if (!records) {
      records = new Map();
      this.#groups.set(key, records);
    }
    records.set(podName, { podName, action, at: now });
  }

  /** Removes satisfied records; true when none is left for the group. */
  isSatisfied(namespace: string, cluster: string, group: string, present: PodPresence, now: number): boolean {
    const key = ScaleExpectations.key(namespace, cluster, group);
    const records = this.#groups.get(key);
    if (!records) return true;
    for (const [name, r] of records) {
      const done =
        r.action === 'create'
          ? present(namespace, name) || now - r.at >= this.#createTimeoutMs
          : !present(namespace, name);
      if (!done) return false;
      records.delete(name);
    }
    this.#groups.delete(key);
    return true;
  }

  /** The informer saw `podName` deleted: a pending create of it is met (it can never appear in the cache now). */
  podDeleted(namespace: string, cluster: string, group: string, podName: string): void {
    const key = ScaleExpectations.key(namespace, cluster, group);
    const records = this.#groups.get(key);
    if (records?.get(podName)?.action !== 'create') return;
    records.delete(podName);
    if (records.size === 0) this.#groups.delete(key);
  }

  /** Drops every record of a cluster (cluster deleted, or a Recreate wipe). */
  deleteCluster(namespace: string, cluster: string): void {
    const prefix = `${namespace}/${cluster}/`;
    for (const key of [...this.#groups.keys()]) if (key.startsWith(prefix)) this.#groups.delete(key);
  }

  /** Number of groups with pending records (for tests and metrics). */
  pendingGroups(): number {
    return this.#groups.size;
  }
}
