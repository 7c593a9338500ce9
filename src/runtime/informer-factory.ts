import type { KubeClient } from '../k8s/client.ts';
import type { KubeObject } from '../k8s/objects.ts';
import { apiVersionOf, type ResourceType } from '../k8s/resources.ts';
import { formatFieldSelector, formatLabelSelector } from '../k8s/selectors.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';
import { Informer, type InformerLifecycle, type InformerScope } from './informer.ts';
import type { IndexFunc } from './store.ts';

export interface InformerRequest<T extends KubeObject = KubeObject> extends InformerScope {
  /** Applied before storing; only the first request of a shared informer sets it. */
  readonly transform?: (obj: T) => T;
  /** Added to the shared informer's store (names must not clash with different functions). */
  readonly indexers?: Readonly<Record<string, IndexFunc<T>>>;
}

interface InformerFactoryOptions {
  readonly client: KubeClient;
  /** Default namespaces of namespaced informers (the operator's --watch-namespace); empty = all. */
  readonly namespaces?: readonly string[];
  readonly logger?: Logger;
  readonly clock?: Clock;
  /**
   * The transform of every informer of a type (unless its first request brings its own): what the
   * composition root knows the controllers read, e.g. a slim Pod. Default: managedFields dropped.
   */
  readonly transformFor?: (type: ResourceType) => ((obj: KubeObject) => KubeObject) | undefined;
  /** Every informer's watch idle timeout (undefined: the Informer's default). */
  readonly watchIdleTimeoutMs?: number | undefined;
}

/**
 * Hands out one shared Informer per kind + scope (namespaces, label and field selector), so every controller
 * reading pods of a scope shares a single list/watch and cache.
 */
export class InformerFactory {
  readonly #opts: InformerFactoryOptions;
  readonly #informers = new Map<string, InformerLifecycle>();
  #started = false;

  constructor(options: InformerFactoryOptions) {
    this.#opts = options;
  }

  get client(): KubeClient {
    return this.#opts.client;
  }

  informerFor<T extends KubeObject = KubeObject>(
    type: ResourceType,
    request: InformerRequest<T> = {},
  ): Informer<T> {
    const namespaces = [...(request.namespaces ?? this.#opts.namespaces ?? [])].filter(Boolean).sort();
    const key = [
      apiVersionOf(type),
      type.plural,
      type.namespaced ? namespaces.join(',') : '',
      request.labelSelector === undefined ? '' : formatLabelSelector(request.labelSelector),
      request.fieldSelector === undefined ? '' : formatFieldSelector(request.fieldSelector),
    ].join('|');
    let informer = this.#informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>({
        client: this.#opts.client,
        type,
        namespaces,
        labelSelector: request.labelSelector,
        fieldSelector: request.fieldSelector,
        ...transformOf(request.transform ?? (this.#opts.transformFor?.(type) as ((o: T) => T) | undefined)),
        logger: this.#opts.logger ?? nullLogger,
        clock: this.#opts.clock ?? systemClock,
        watchIdleTimeoutMs: this.#opts.watchIdleTimeoutMs,
      });
      // One map holds the informers of every type, by their life cycle only (Informer<T> is invariant in T);
      // the lookup above narrows an entry back by its key, which names the type.
      this.#informers.set(key, informer);
      if (this.#started) informer.start();
    }
    if (request.indexers) informer.addIndexers(request.indexers);
    return informer;
  }

  informers(): InformerLifecycle[] {
    return [...this.#informers.values()];
  }

  /** Starts every informer made so far, and any made later. */
  start(): void {
    this.#started = true;
    for (const i of this.#informers.values()) i.start();
  }

  hasSynced(): boolean {
    return [...this.#informers.values()].every((i) => i.hasSynced());
  }

  /** Resolves true when all informers (including ones created while waiting) have synced. */
  async waitForSync(): Promise<boolean> {
    for (;;) {
      const all = [...this.#informers.values()];
      const results = await Promise.all(all.map((i) => i.waitForSync()));
      if (results.some((r) => !r)) return false;
      if (this.#informers.size === all.length) return true;
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#informers.values()].map((i) => i.stop()));
  }
}

function transformOf<T>(transform: ((o: T) => T) | undefined): { transform?: (o: T) => T } {
  return transform ? { transform } : {};
}
