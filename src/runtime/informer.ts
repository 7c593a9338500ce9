import { ApiError } from '../k8s/api-error.ts';
import type { KubeClient, Selector } from '../k8s/client.ts';
import { type KubeObject, objectKey } from '../k8s/objects.ts';
import type { ResourceType } from '../k8s/resources.ts';
import type { LabelSelector } from '../k8s/selectors.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { errorMessage } from '../lib/errors.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';
import { Backoff } from './backoff.ts';
import { diffRelist } from './relist.ts';
import { sleep } from './sleep.ts';
import { type CacheReader, type IndexFunc, Store } from './store.ts';

interface EventHandler<T extends KubeObject = KubeObject> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, obj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerScope {
  /** Namespaces to watch; empty or undefined = all namespaces. */
  readonly namespaces?: readonly string[] | undefined;
  readonly labelSelector?: Selector | undefined;
  readonly fieldSelector?: Readonly<Record<string, string>> | string | undefined;
}

interface InformerOptions<T extends KubeObject = KubeObject> extends InformerScope {
  readonly client: KubeClient;
  readonly type: ResourceType;
  /**
   * Applied to every object before it is stored (default: drop metadata.managedFields). Watched objects come
   * without managedFields already; listed ones still have them, so a transform must drop them itself.
   */
  readonly transform?: (obj: T) => T;
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /**
   * A watch that has sent something and then stays silent for this long is dropped and reopened from the last
   * resourceVersion (default 90 s: from its first event on, the API server sends a bookmark about once a
   * minute). client-go waits for the server's timeout (5-10 min) instead, so a stalled connection there delays
   * every change by minutes. A watch that has sent nothing yet keeps the server's timeout: on a resource that
   * nobody writes the server sends no bookmark, and reopening such quiet watches every 90 s was the operator's
   * only traffic while idle.
   */
  readonly watchIdleTimeoutMs?: number;
  /** Reconnect backoff after errors: default 800 ms doubling to 30 s (client-go's reflector values). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
}

/** Drops managedFields (large, never read by controllers) before an object is cached. */
function stripManagedFields<T extends KubeObject>(obj: T): T {
  if (!obj.metadata.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * A shared informer: lists, then watches from the list's resourceVersion (with bookmarks), keeps a Store, and
 * calls handlers on add/update(old, new)/delete. On 410 Gone it relists and emits the difference; after any
 * other error it reconnects with backoff, so it never stops until `stop()`.
 */
/** What holds informers of many types needs of each: its kind and its life cycle (nothing that takes a T). */
export type InformerLifecycle = Pick<Informer, 'type' | 'start' | 'stop' | 'hasSynced' | 'waitForSync'>;

export class Informer<T extends KubeObject = KubeObject> implements CacheReader<T> {
  readonly type: ResourceType;
  readonly store: Store<T>;
  readonly #opts: InformerOptions<T>;
  readonly #handlers: EventHandler<T>[] = [];
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #transform: (obj: T) => T;
  readonly #synced = new Set<string>();
  readonly #scopes: (string | undefined)[];
  readonly #abort = new AbortController();
  #syncWaiters: (() => void)[] = [];
  #running: Promise<void>[] = [];
  #started = false;

  constructor(options: InformerOptions<T>) {
    this.#opts = options;
    this.type = options.type;
    this.store = new Store<T>(options.indexers);
    this.#clock = options.clock ?? systemClock;
    this.#transform = options.transform ?? stripManagedFields;
    this.#log = (options.logger ?? nullLogger).child({ informer: options.type.plural });
    const ns = options.namespaces?.filter(Boolean) ?? [];
    this.#scopes = options.type.namespaced && ns.length > 0 ? [...new Set(ns)] : [undefined];
  }

  /** Adds a handler (objects already cached are replayed to it as adds); returns its removal. */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.#handlers.push(handler);
    for (const obj of this.store.list()) this.#call(handler, 'onAdd', obj);
    return () => {
      const i = this.#handlers.indexOf(handler);
      if (i >= 0) this.#handlers.splice(i, 1);
    };
  }

  addIndexers(indexers: Readonly<Record<string, IndexFunc<T>>>): void {
    this.store.addIndexers(indexers);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#running = this.#scopes.map((ns) => this.#reflect(ns));
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#running);
    for (const w of this.#syncWaiters) w();
    this.#syncWaiters = [];
  }

  hasSynced(): boolean {
    return this.#synced.size === this.#scopes.length;
  }

  /** Resolves true once every namespace has been listed, false if the informer stops first. */
  waitForSync(): Promise<boolean> {
    if (this.hasSynced()) return Promise.resolve(true);
    if (this.#abort.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => this.#syncWaiters.push(() => resolve(this.hasSynced())));
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace, name);
  }
  list(options?: {
    namespace?: string;
    labelSelector?: LabelSelector | Readonly<Record<string, string>>;
  }): T[] {
    return this.store.list(options);
  }
  byIndex(indexName: string, value: string): T[] {
    return this.store.byIndex(indexName, value);
  }

  async #reflect(namespace: string | undefined): Promise<void> {
    const { client, type, labelSelector, fieldSelector } = this.#opts;
    const signal = this.#abort.signal;
    const scope = { namespace, labelSelector, fieldSelector, signal };
    const backoff = new Backoff(this.#opts.backoffBaseMs ?? 800, this.#opts.backoffMaxMs ?? 30_000, {
      jitter: 0.2,
    });
    let rv: string | undefined;
    while (!signal.aborted) {
      let events = 0;
      const watchStart = this.#clock.now();
      try {
        if (rv === undefined) {
          rv = await this.#relist(namespace, scope);
          this.#markSynced(namespace);
        }
        const timeoutSeconds = 300 + Math.floor(Math.random() * 300);
        const stream = await client.watch<T>(type, {
          ...scope,
          resourceVersion: rv,
          allowWatchBookmarks: true,
          timeoutSeconds,
          idleTimeoutMs: this.#opts.watchIdleTimeoutMs ?? 90_000,
          // No cache keeps them (every transform drops them from listed objects), so they are not even parsed.
          dropManagedFields: true,
        });
        for await (const ev of stream) {
          events++;
          if (ev.type === 'ERROR') {
            const code = ev.object.code ?? 0;
            if (code === 410) {
              this.#log.info('watch expired, relisting', { resourceVersion: rv });
              rv = undefined;
              break;
            }
            throw new ApiError('WATCH', type.plural, code, ev.object);
          }
          rv = ev.object.metadata.resourceVersion ?? rv;
          backoff.reset();
          if (ev.type === 'BOOKMARK') continue;
          if (ev.type === 'DELETED') this.#delete(objectKey(ev.object), this.#transform(ev.object));
          else this.#upsert(this.#transform(ev.object));
        }
        // A watch that closes at once without events (an apiserver shutting down) is retried with backoff.
        if (events === 0 && this.#clock.now() - watchStart < 1000 && rv !== undefined && !signal.aborted)
          await this.#sleep(backoff.next());
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof ApiError && err.isGone()) {
          this.#log.info('watch expired, relisting', { resourceVersion: rv });
          rv = undefined;
          continue;
        }
        if (
          rv !== undefined &&
          err instanceof ApiError &&
          err.status === 0 &&
          /timed out/.test(err.message)
        ) {
          // The idle timeout: no event and no bookmark for `watchIdleTimeoutMs`. Reopen from where it was.
          this.#log.info('watch silent too long, reopening', { resourceVersion: rv, namespace });
          continue;
        }
        const delay = backoff.next();
        this.#log.warn('list/watch failed, retrying', {
          error: errorMessage(err),
          retryInMs: delay,
          namespace,
        });
        await this.#sleep(delay);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return sleep(this.#clock, ms, this.#abort.signal);
  }

  /**
   * Lists (each page through the transform before the next is fetched: one page of full objects at a time),
   * replaces the store's contents and returns the list's resourceVersion. A method of its own so that nothing
   * of the list stays reachable from the watch loop's frame while it waits on the watch (it did: the whole list
   * of full pods was kept until the watch ended, docs/performance.md).
   */
  async #relist(
    namespace: string | undefined,
    scope: NonNullable<Parameters<KubeClient['list']>[1]>,
  ): Promise<string | undefined> {
    const list = await this.#opts.client.listMapped(this.#opts.type, scope, this.#transform);
    this.#replace(namespace, list.items);
    return list.metadata.resourceVersion;
  }

  #markSynced(namespace: string | undefined): void {
    this.#synced.add(namespace ?? '');
    if (!this.hasSynced()) return;
    for (const w of this.#syncWaiters) w();
    this.#syncWaiters = [];
  }

  #replace(namespace: string | undefined, items: T[]): void {
    const current = namespace === undefined ? this.store.list() : this.store.byIndex('namespace', namespace);
    const cached = new Map(current.map((o) => [objectKey(o), o] as const));
    const diff = diffRelist(cached, items);
    for (const obj of diff.deleted) this.#delete(objectKey(obj), obj);
    for (const obj of diff.added) this.#upsert(obj);
    for (const { obj } of diff.updated) this.#upsert(obj);
  }

  #upsert(obj: T): void {
    const old = this.store.upsert(obj);
    for (const h of this.#handlers) {
      if (old) this.#call(h, 'onUpdate', old, obj);
      else this.#call(h, 'onAdd', obj);
    }
  }

  #delete(key: string, last: T): void {
    const old = this.store.remove(key);
    for (const h of this.#handlers) this.#call(h, 'onDelete', old ?? last);
  }

  #call(h: EventHandler<T>, fn: keyof EventHandler<T>, a: T, b?: T): void {
    try {
      if (fn === 'onUpdate') h.onUpdate?.(a, b!);
      else h[fn]?.(a);
    } catch (err) {
      this.#log.error('event handler failed', { error: errorMessage(err), handler: fn });
    }
  }
}
