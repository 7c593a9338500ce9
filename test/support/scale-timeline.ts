import type { RestClient } from '../../src/k8s/rest.ts';
import { readWatchEvents, type WatchEvent } from '../../src/k8s/watch.ts';

/** One thing the API server showed while a RayCluster scaled, in the order the watches delivered it. */
export type TimelineEntry =
  | {
      readonly at: number;
      readonly kind: 'requested';
      /** The worker group's `replicas` and `scaleStrategy.workersToDelete` after a change to either. */
      readonly replicas: number;
      readonly workersToDelete: readonly string[];
    }
  | { readonly at: number; readonly kind: 'created'; readonly pod: string }
  /** The pod got its deletionTimestamp (the operator's DELETE). */
  | { readonly at: number; readonly kind: 'deleting'; readonly pod: string }
  /** The pod object is gone (the node finished the deletion). */
  | { readonly at: number; readonly kind: 'deleted'; readonly pod: string };

interface Obj {
  metadata: { name: string; resourceVersion?: string; deletionTimestamp?: string };
  spec?: {
    workerGroupSpecs?: {
      groupName: string;
      replicas?: number;
      scaleStrategy?: { workersToDelete?: string[] };
    }[];
  };
}

/**
 * Records a worker group's scaling as the API server shows it: a watch on the RayCluster (each change of the
 * group's `replicas` or `workersToDelete`) and a watch on the group's pods (created, deletion started, gone).
 * Both watches start from a list, so nothing that happened after `start` is missed; a watch the server
 * closes is reopened from the last resourceVersion seen.
 */
export class ScaleTimeline {
  readonly entries: TimelineEntry[] = [];
  readonly #client: RestClient;
  readonly #ns: string;
  readonly #cluster: string;
  readonly #group: string;
  readonly #abort = new AbortController();
  readonly #loops: Promise<void>[] = [];
  #lastRequest = '';
  readonly #deleting = new Set<string>();
  /** Errors from the watch loops (other than the stop), reported by `check()`. */
  readonly #errors: unknown[] = [];

  constructor(client: RestClient, ns: string, cluster: string, group: string) {
    this.#client = client;
    this.#ns = ns;
    this.#cluster = cluster;
    this.#group = group;
  }

  /** Lists, then watches; resolves once both watches are open. */
  async start(): Promise<void> {
    const rcPath = `/apis/ray.io/v1/namespaces/${this.#ns}/rayclusters`;
    const rcQuery = { fieldSelector: `metadata.name=${this.#cluster}` };
    const podPath = `/api/v1/namespaces/${this.#ns}/pods`;
    const podQuery = {
      labelSelector: `ray.io/cluster=${this.#cluster},ray.io/node-type=worker,ray.io/group=${this.#group}`,
    };
    const rcs = await this.#client.request<{ metadata: { resourceVersion: string }; items: Obj[] }>(
      'GET',
      rcPath,
      { query: rcQuery },
    );
    for (const rc of rcs.items) this.#onCluster(rc);
    const pods = await this.#client.request<{ metadata: { resourceVersion: string }; items: Obj[] }>(
      'GET',
      podPath,
      { query: podQuery },
    );
    for (const p of pods.items) this.#onPod('ADDED', p);
    this.#loops.push(
      this.#watch(rcPath, rcQuery, rcs.metadata.resourceVersion, (ev) => this.#onCluster(ev.object)),
      this.#watch(podPath, podQuery, pods.metadata.resourceVersion, (ev) => this.#onPod(ev.type, ev.object)),
    );
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.allSettled(this.#loops);
  }

  /** Throws if a watch failed (a timeline with a hole would prove nothing). */
  check(): void {
    if (this.#errors.length > 0) throw new Error(`timeline watch failed: ${String(this.#errors[0])}`);
  }

  /** The names of the group's pods that exist and are not being deleted. */
  alive(): string[] {
    const created = this.entries.filter((e) => e.kind === 'created').map((e) => e.pod);
    return created.filter((p) => !this.#deleting.has(p));
  }

  /** A readable dump, times relative to the first entry. */
  format(): string {
    const t0 = this.entries[0]?.at ?? 0;
    return this.entries
      .map((e) => {
        const t = ((e.at - t0) / 1000).toFixed(1).padStart(7);
        return e.kind === 'requested'
          ? `${t}s requested replicas=${e.replicas} workersToDelete=[${e.workersToDelete.join(',')}]`
          : `${t}s ${e.kind} ${e.pod}`;
      })
      .join('\n');
  }

  #onCluster(rc: Obj): void {
    const g = rc.spec?.workerGroupSpecs?.find((w) => w.groupName === this.#group);
    if (!g) return;
    const replicas = g.replicas ?? 0;
    const workersToDelete = [...(g.scaleStrategy?.workersToDelete ?? [])];
    const key = JSON.stringify([replicas, workersToDelete]);
    if (key === this.#lastRequest) return;
    this.#lastRequest = key;
    this.entries.push({ at: Date.now(), kind: 'requested', replicas, workersToDelete });
  }

  #onPod(type: string, p: Obj): void {
    const pod = p.metadata.name;
    const at = Date.now();
    const known = this.entries.some((e) => e.kind === 'created' && e.pod === pod);
    if (!known && type !== 'DELETED') this.entries.push({ at, kind: 'created', pod });
    if ((p.metadata.deletionTimestamp || type === 'DELETED') && !this.#deleting.has(pod)) {
      this.#deleting.add(pod);
      this.entries.push({ at, kind: 'deleting', pod });
    }
    if (type === 'DELETED') this.entries.push({ at, kind: 'deleted', pod });
  }

  async #watch(
    path: string,
    query: Record<string, string>,
    fromVersion: string,
    onEvent: (ev: { type: string; object: Obj }) => void,
  ): Promise<void> {
    let rv = fromVersion;
    while (!this.#abort.signal.aborted) {
      try {
        const res = await this.#client.stream(path, {
          query: { ...query, watch: 1, resourceVersion: rv, allowWatchBookmarks: true },
          signal: this.#abort.signal,
        });
        for await (const ev of readWatchEvents(res) as AsyncGenerator<WatchEvent>) {
          if (ev.type === 'ERROR') throw new Error(`watch ${path}: ${JSON.stringify(ev.object)}`);
          const obj = ev.object as unknown as Obj;
          if (obj.metadata.resourceVersion) rv = obj.metadata.resourceVersion;
          if (ev.type !== 'BOOKMARK') onEvent({ type: ev.type, object: obj });
        }
      } catch (err) {
        if (this.#abort.signal.aborted) return;
        this.#errors.push(err);
        return;
      }
    }
  }
}
