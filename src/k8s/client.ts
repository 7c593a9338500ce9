import type { Registry } from 'prom-client';
import { AdaptiveRate } from './adaptive-rate.ts';
import { ApiError } from './api-error.ts';
import { restClientMetrics } from './client-metrics.ts';
import type { ClusterAccess } from './kubeconfig.ts';
import type { KubeObject, ObjectList, ObjectMeta } from './objects.ts';
import { type ResourceType, resourcePath } from './resources.ts';
import { type RequestObservation, RestClient } from './rest.ts';
import { formatFieldSelector, formatLabelSelector, type LabelSelector } from './selectors.ts';
import { TokenBucket } from './token-bucket.ts';
import { readWatchEvents, type WatchEvent } from './watch.ts';

type PatchType = 'merge' | 'json' | 'strategic' | 'apply';
const patchContentType: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export type Selector = LabelSelector | Readonly<Record<string, string>> | string;

/** The `labelSelector` and `fieldSelector` query parameters of a list, watch or collection delete. */
function selectorQuery(options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>) {
  return {
    labelSelector:
      options.labelSelector === undefined ? undefined : formatLabelSelector(options.labelSelector),
    fieldSelector:
      options.fieldSelector === undefined ? undefined : formatFieldSelector(options.fieldSelector),
  };
}

interface ListOptions {
  readonly namespace?: string | undefined;
  readonly labelSelector?: Selector | undefined;
  readonly fieldSelector?: Readonly<Record<string, string>> | string | undefined;
  /** Page size; `list` follows `continue` until the end. */
  readonly limit?: number;
  /** Aborts the request (the informer stops this way). */
  readonly signal?: AbortSignal | undefined;
}

interface WatchOptions extends ListOptions {
  readonly resourceVersion?: string | undefined;
  readonly allowWatchBookmarks?: boolean;
  /**
   * Server-side timeout of the watch; default 300 s. The client also drops the connection when it has been
   * silent for this long plus a minute (a half-open connection to a vanished server would hang otherwise).
   */
  readonly timeoutSeconds?: number;
  /**
   * Once the watch has sent its first event or bookmark, drop the connection after this much silence instead
   * (ms). From then on the API server's watch cache sends a bookmark about once a minute (with
   * allowWatchBookmarks), so a watch silent for longer has stalled (a partition, a wedged proxy). Before that,
   * silence is normal: the cache sends a bookmark only when its resourceVersion has passed the one the watch
   * started from, which for a resource nobody writes can take longer than the watch lives. Such a watch keeps
   * the server's timeout plus a minute, as without this option.
   */
  readonly idleTimeoutMs?: number;
  /** Leave `metadata.managedFields` out of the events' objects (cut before parsing; see withoutManagedFields). */
  readonly dropManagedFields?: boolean;
}

interface WriteOptions {
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
}

interface PatchOptions extends WriteOptions {
  readonly type?: PatchType;
  readonly subresource?: 'status' | 'scale' | string;
  /** Server-side apply only: take ownership of conflicting fields. */
  readonly force?: boolean;
}

interface DeleteOptions {
  readonly dryRun?: boolean;
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { uid?: string; resourceVersion?: string };
}

interface KubeClientOptions {
  /** Client-side rate limit (default 100 qps, burst 200, as KubeRay's --qps/--burst); qps <= 0 disables it. */
  readonly qps?: number;
  readonly burst?: number;
  /** The rate limit starts at qps/burst and adapts to the API server (src/k8s/adaptive-rate.ts); default fixed. */
  readonly adaptiveRate?: boolean;
  /** Version in the default user agent `kuberay-operator/<version>`. */
  readonly version?: string;
  /** Overrides the whole user agent. */
  readonly userAgent?: string;
  /** Default fieldManager of writes; default 'kuberay-operator'. */
  readonly fieldManager?: string;
  /** Registry to record rest_client_* metrics in. */
  readonly metrics?: Registry;
}

const DEFAULT_FIELD_MANAGER = 'kuberay-operator';
/** Asks for a PartialObjectMetadata, falling back to the whole object (client-go's metadata client does the same). */
const metadataOnlyAccept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const nameOf = (obj: KubeObject): string | undefined => obj.metadata.name;

/**
 * Objects per page when listing. Small pages keep each response small: after a restart with 5,050 pods, pages of
 * 500 left the operator at 231 MiB RSS (the C heap keeps what the large response buffers used), pages of 250 at
 * 168 MiB and pages of 100 at 145 MiB, for 51 list requests instead of 11 (docs/performance.md).
 */
const listPageSize = 100;

/**
 * Typed access to resources on top of RestClient. Objects are plain JSON in and out, so no unknown field is
 * ever dropped. All methods throw ApiError (see api-error.ts) on failure.
 */
export class KubeClient {
  readonly rest: RestClient;
  readonly fieldManager: string;
  readonly #discovery = new Map<string, Promise<Set<string> | undefined>>();

  constructor(rest: RestClient, fieldManager = DEFAULT_FIELD_MANAGER) {
    this.rest = rest;
    this.fieldManager = fieldManager;
  }

  /** Builds the RestClient (rate limiter, user agent, metrics) and the KubeClient over it. */
  static fromAccess(access: ClusterAccess, options: KubeClientOptions = {}): KubeClient {
    const qps = options.qps ?? 100;
    const burst = Math.max(1, options.burst ?? 200);
    const bucket = qps > 0 ? new TokenBucket(qps, burst) : undefined;
    const adaptive = bucket && options.adaptiveRate ? new AdaptiveRate(bucket, { qps, burst }) : undefined;
    const metrics = options.metrics ? restClientMetrics(options.metrics) : undefined;
    const observe =
      adaptive && metrics
        ? (o: RequestObservation) => {
            adaptive.observe(o);
            metrics(o);
          }
        : adaptive
          ? (o: RequestObservation) => adaptive.observe(o)
          : metrics;
    const rest = new RestClient(access, {
      userAgent: options.userAgent ?? `kuberay-operator/${options.version ?? 'dev'}`,
      ...(bucket ? { rateLimiter: bucket } : {}),
      ...(observe ? { observe } : {}),
    });
    return new KubeClient(rest, options.fieldManager);
  }

  /** A client that sends every request with `headers` too (impersonation), sharing this one's connections. */
  withHeaders(headers: Readonly<Record<string, string | readonly string[]>>): KubeClient {
    return new KubeClient(this.rest.withHeaders(headers), this.fieldManager);
  }

  async get<T extends KubeObject = KubeObject>(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<T> {
    return this.rest.request<T>('GET', resourcePath(r, { namespace, name }));
  }

  /** Like `get`, but undefined when the object does not exist. */
  async getOrUndefined<T extends KubeObject = KubeObject>(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<T | undefined> {
    try {
      return await this.get<T>(r, namespace, name);
    } catch (e) {
      if (e instanceof ApiError && e.isNotFound()) return undefined;
      throw e;
    }
  }

  /** One page of a list (the informer uses the list's resourceVersion to start its watch). */
  async listPage<T extends KubeObject = KubeObject>(
    r: ResourceType,
    options: ListOptions & { continue?: string | undefined } = {},
  ): Promise<ObjectList<T>> {
    const query: Record<string, string | number | undefined> = {
      ...selectorQuery(options),
      limit: options.limit,
      continue: options.continue,
    };
    return this.rest.request<ObjectList<T>>('GET', resourcePath(r, { namespace: options.namespace }), {
      query,
    });
  }

  /** All matching objects (following pagination) and the resourceVersion of the list. */
  async list<T extends KubeObject = KubeObject>(
    r: ResourceType,
    options: ListOptions = {},
  ): Promise<ObjectList<T>> {
    return this.listMapped<T, T>(r, options, (o) => o);
  }

  /**
   * `list`, with each object passed through `map` as its page arrives: only one page of the objects as the
   * server sent them is held at a time (the informer's cache transform drops most of a pod this way).
   */
  async listMapped<T extends KubeObject, U extends KubeObject>(
    r: ResourceType,
    options: ListOptions,
    map: (item: T) => U,
  ): Promise<ObjectList<U>> {
    let page = await this.listPage<T>(r, { limit: listPageSize, ...options });
    const { apiVersion, kind } = page;
    const resourceVersion = page.metadata.resourceVersion;
    const items: U[] = [];
    for (;;) {
      for (const item of page.items) items.push(map(item));
      const next = page.metadata.continue;
      if (!next) break;
      page = await this.listPage<T>(r, { limit: listPageSize, ...options, continue: next });
    }
    return { apiVersion, kind, metadata: { resourceVersion }, items };
  }

  /** Opens a watch; iterate the result for events. Ends when the server closes it or `signal` aborts. */
  async watch<T extends KubeObject = KubeObject>(
    r: ResourceType,
    options: WatchOptions = {},
  ): Promise<AsyncGenerator<WatchEvent<T>>> {
    const query: Record<string, string | number | boolean | undefined> = {
      watch: true,
      ...selectorQuery(options),
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowWatchBookmarks,
      timeoutSeconds: options.timeoutSeconds ?? 300,
    };
    const path = resourcePath(r, { namespace: options.namespace });
    const res = await this.rest.stream(path, {
      query,
      timeoutMs: ((options.timeoutSeconds ?? 300) + 60) * 1000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return readWatchEvents<T>(res, {
      dropManagedFields: options.dropManagedFields === true,
      idleTimeoutMs: options.idleTimeoutMs,
      path,
    });
  }

  async create<T extends KubeObject = KubeObject>(
    r: ResourceType,
    obj: NoInfer<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.rest.request<T>('POST', resourcePath(r, { namespace: obj.metadata.namespace }), {
      body: obj,
      query: this.#writeQuery(options),
    });
  }

  /**
   * Creates the object and reads back only its metadata (the generated name, uid, resourceVersion): the API
   * server answers with a PartialObjectMetadata instead of the whole object, as client-go's metadata client
   * asks. Cheaper for both sides when the caller needs no more: a created worker pod is about 9 KB of JSON to
   * encode and parse, its metadata less than half of that, and most of the metadata is managedFields (80 % of
   * a worker pod's), which are cut from the text before parsing. A server that cannot convert sends the object.
   */
  async createForMetadata(
    r: ResourceType,
    obj: KubeObject,
    options: WriteOptions & {
      /**
       * `obj` as JSON, when the caller has it already (the same pod body created many times); as UTF-8 bytes,
       * each send is a copy rather than an encoding.
       */
      readonly json?: string | Uint8Array;
    } = {},
  ): Promise<{ metadata: ObjectMeta }> {
    return this.rest.request<{ metadata: ObjectMeta }>(
      'POST',
      resourcePath(r, { namespace: obj.metadata.namespace }),
      {
        body: options.json ?? obj,
        query: this.#writeQuery(options),
        accept: metadataOnlyAccept,
        dropManagedFields: true,
      },
    );
  }

  /** Replaces the object (optimistic concurrency through metadata.resourceVersion). */
  async update<T extends KubeObject = KubeObject>(
    r: ResourceType,
    obj: NoInfer<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.#put(r, obj, undefined, options);
  }

  /** Replaces the status subresource. */
  async updateStatus<T extends KubeObject = KubeObject>(
    r: ResourceType,
    obj: NoInfer<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.#put(r, obj, 'status', options);
  }

  async patch<T extends KubeObject = KubeObject>(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    const type = options.type ?? 'merge';
    const query = {
      ...this.#writeQuery(options),
      ...(type === 'apply' && options.force ? { force: true } : {}),
    };
    return this.rest.request<T>(
      'PATCH',
      resourcePath(r, { namespace, name, subresource: options.subresource }),
      {
        body: patch,
        contentType: patchContentType[type],
        query,
      },
    );
  }

  async patchStatus<T extends KubeObject = KubeObject>(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: Omit<PatchOptions, 'subresource'> = {},
  ): Promise<T> {
    return this.patch<T>(r, namespace, name, patch, { ...options, subresource: 'status' });
  }

  /** Server-side apply of a (partial) object; the body must carry apiVersion and kind. */
  async apply<T extends KubeObject = KubeObject>(
    r: ResourceType,
    obj: NoInfer<T>,
    options: WriteOptions & { force?: boolean; subresource?: string } = {},
  ): Promise<T> {
    const name = nameOf(obj);
    if (!name) throw new TypeError(`apply ${r.kind}: metadata.name is required`);
    return this.patch<T>(r, obj.metadata.namespace, name, obj, { ...options, type: 'apply' });
  }

  /** Deletes an object; returns false when it was already gone. */
  async delete(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): Promise<boolean> {
    const body =
      options.propagationPolicy || options.gracePeriodSeconds !== undefined || options.preconditions
        ? {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: options.propagationPolicy,
            gracePeriodSeconds: options.gracePeriodSeconds,
            preconditions: options.preconditions,
          }
        : undefined;
    try {
      await this.rest.request('DELETE', resourcePath(r, { namespace, name }), {
        ...(body ? { body } : {}),
        query: { dryRun: options.dryRun ? 'All' : undefined },
      });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.isNotFound()) return false;
      throw e;
    }
  }

  /** Deletes every object of a kind in `namespace` that the selectors match (one DELETE on the collection). */
  async deleteCollection(
    r: ResourceType,
    options: Pick<ListOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>,
  ): Promise<void> {
    await this.rest.request('DELETE', resourcePath(r, { namespace: options.namespace }), {
      query: selectorQuery(options),
    });
  }

  /**
   * Whether the API server serves `plural` in group/version (discovery; results cached per group/version,
   * failures other than 404 are not cached). Used to detect optional CRDs (Route, HTTPRoute, PodGroup).
   */
  async hasResource(group: string, version: string, plural: string): Promise<boolean> {
    const gv = group ? `${group}/${version}` : version;
    let entry = this.#discovery.get(gv);
    if (!entry) {
      entry = this.#discover(group, version);
      this.#discovery.set(gv, entry);
      entry.catch(() => this.#discovery.delete(gv));
    }
    return (await entry)?.has(plural) ?? false;
  }

  /** Drops the discovery cache (e.g. after installing a CRD). */
  invalidateDiscovery(): void {
    this.#discovery.clear();
  }

  async #discover(group: string, version: string): Promise<Set<string> | undefined> {
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    try {
      const list = await this.rest.request<{ resources?: { name: string }[] }>('GET', path);
      return new Set((list.resources ?? []).map((x) => x.name));
    } catch (e) {
      if (e instanceof ApiError && (e.isNotFound() || e.status === 503)) return undefined;
      throw e;
    }
  }

  #put<T extends KubeObject>(
    r: ResourceType,
    obj: T,
    subresource: string | undefined,
    options: WriteOptions,
  ): Promise<T> {
    const name = nameOf(obj);
    if (!name) throw new TypeError(`update ${r.kind}: metadata.name is required`);
    return this.rest.request<T>(
      'PUT',
      resourcePath(r, { namespace: obj.metadata.namespace, name, subresource }),
      {
        body: obj,
        query: this.#writeQuery(options),
      },
    );
  }

  #writeQuery(options: WriteOptions): Record<string, string | undefined> {
    return {
      dryRun: options.dryRun ? 'All' : undefined,
      fieldManager: options.fieldManager ?? this.fieldManager,
    };
  }
}
