import { API_VERSION } from '../../../src/api/constants.ts';
import { ApiError } from '../../../src/k8s/api-error.ts';
import type { KubeClient, Selector } from '../../../src/k8s/client.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import type { ResourceType } from '../../../src/k8s/resources.ts';
import type { Condition } from './conditions.ts';
import { ClientError } from './errors.ts';
import { type WaitOptions, waitForObject } from './wait.ts';

/** Where an operation applies: the client's default namespace unless given. */
export interface NamespaceOption {
  /** Namespace of the object; default: the client's namespace (the kubeconfig context's, or `default`). */
  readonly namespace?: string;
}

/** Options of `list`. */
export interface ListOptions extends NamespaceOption {
  /** List across every namespace (ignores `namespace`). */
  readonly allNamespaces?: boolean;
  /** `{ 'ray.io/cluster': 'demo' }`, a LabelSelector object or a selector string `a=b,c!=d`. */
  readonly labelSelector?: Selector;
  /** `{ 'metadata.name': 'demo' }` or `metadata.name=demo`. */
  readonly fieldSelector?: Readonly<Record<string, string>> | string;
}

/** Options of `watch`. */
export interface WatchOptions extends ListOptions {
  /** Watch only the object with this name. */
  readonly name?: string;
  /** Start after this resourceVersion (from a `get` or `list`); default: a synthetic ADDED per object first. */
  readonly resourceVersion?: string;
  /** Server-side timeout of the watch in seconds (default 300); the iteration ends then. */
  readonly timeoutSeconds?: number;
  /** Stops the watch: the iteration ends with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A watch event of a ray.io object. An `ERROR` event from the server is thrown as an ApiError instead. */
export interface RayWatchEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
}

/** Options of writes. */
export interface WriteOptions extends NamespaceOption {
  /** Server-side dry run: validated and defaulted by the API server (and webhooks), not stored. */
  readonly dryRun?: boolean;
  /** Field manager of the write; default the client's (`kuberay-ts-client`). */
  readonly fieldManager?: string;
}

/** Options of server-side apply. */
export interface ApplyOptions extends WriteOptions {
  /** Take ownership of fields another manager owns instead of failing with a conflict (HTTP 409). */
  readonly force?: boolean;
}

/** Options of `patch`: a JSON merge patch (default) or a JSON patch (RFC 6902 list of operations). */
export interface PatchOptions extends WriteOptions {
  readonly type?: 'merge' | 'json';
}

/** Options of `delete`. */
export interface DeleteOptions extends NamespaceOption {
  readonly dryRun?: boolean;
  /** Default: Background (the operator's owned pods and services are garbage-collected). */
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

/** A ray.io object as the client handles it: plain JSON, no field ever dropped. */
export interface RayObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; resourceVersion?: string };
  status?: unknown;
}

const asKube = (o: RayObject): KubeObject => o as unknown as KubeObject;

/**
 * Typed create/get/list/watch/apply/patch/delete/waitFor for one ray.io kind. Get one from `RayClient`
 * (`client.clusters`, `client.jobs`, `client.services`, `client.cronJobs`). Failures of the API server are
 * `ApiError`s (`isNotFound(e)`, `isConflict(e)`, `e.status`, `e.reason`, `e.message` with the server's text).
 *
 * @example
 * ```ts
 * const client = connect();
 * await client.clusters.create(rayClusterManifest({ name: 'demo', workers: 2 }));
 * const ready = await client.clusters.waitFor('demo', 'ready', { timeoutMs: 300_000 });
 * console.log(ready.status?.head?.serviceIP);
 * await client.clusters.delete('demo');
 * ```
 */
export class RayResourceClient<T extends RayObject, C extends string> {
  readonly kube: KubeClient;
  readonly type: ResourceType;
  readonly namespace: string;
  readonly #conditions: Readonly<Record<C, Condition<T>>>;

  constructor(
    kube: KubeClient,
    type: ResourceType,
    namespace: string,
    conditions: Readonly<Record<C, Condition<T>>>,
  ) {
    this.kube = kube;
    this.type = type;
    this.namespace = namespace;
    this.#conditions = conditions;
  }

  /**
   * Creates the object. `apiVersion` and `kind` are filled in when missing; `metadata.namespace` defaults to
   * `options.namespace` or the client's namespace. Returns the object as stored (with defaults and uid).
   *
   * @example
   * ```ts
   * const created = await client.jobs.create(rayJobManifest({ name: 'pi', entrypoint: 'python pi.py' }));
   * ```
   */
  async create(obj: T, options: WriteOptions = {}): Promise<T> {
    return (await this.kube.create(
      this.type,
      asKube(this.#complete(obj, options)),
      this.#write(options),
    )) as unknown as T;
  }

  /**
   * Reads one object; throws ApiError (404, `isNotFound(e)`) when it does not exist.
   *
   * @example
   * ```ts
   * const job = await client.jobs.get('pi');
   * console.log(job.status?.jobStatus);
   * ```
   */
  async get(name: string, options: NamespaceOption = {}): Promise<T> {
    return (await this.kube.get(
      this.type,
      this.#ns(options),
      requireName(name, this.type.kind),
    )) as unknown as T;
  }

  /**
   * Like `get`, but `undefined` when the object does not exist.
   *
   * @example
   * ```ts
   * if (!(await client.clusters.find('demo'))) console.log('no cluster demo');
   * ```
   */
  async find(name: string, options: NamespaceOption = {}): Promise<T | undefined> {
    return (await this.kube.getOrUndefined(
      this.type,
      this.#ns(options),
      requireName(name, this.type.kind),
    )) as T | undefined;
  }

  /**
   * Lists objects (following pagination), in one namespace or all.
   *
   * @example
   * ```ts
   * const jobs = await client.jobs.list({ labelSelector: { team: 'ml' } });
   * const everywhere = await client.clusters.list({ allNamespaces: true });
   * ```
   */
  async list(options: ListOptions = {}): Promise<T[]> {
    const list = await this.kube.list(this.type, {
      namespace: options.allNamespaces ? undefined : this.#ns(options),
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    return list.items as unknown as T[];
  }

  /**
   * Watches objects: an async iterable of ADDED/MODIFIED/DELETED events. Without `resourceVersion` the server
   * first sends an ADDED event for each existing object. The iteration ends when the server closes the watch
   * (after `timeoutSeconds`) or throws when `signal` aborts; a server ERROR event (e.g. 410 Gone for a too
   * old resourceVersion) is thrown as an ApiError.
   *
   * @example
   * ```ts
   * const ac = new AbortController();
   * for await (const ev of client.clusters.watch({ name: 'demo', signal: ac.signal })) {
   *   console.log(ev.type, ev.object.status?.state);
   *   if (ev.object.status?.state === 'ready') ac.abort();
   * }
   * ```
   */
  async *watch(options: WatchOptions = {}): AsyncGenerator<RayWatchEvent<T>> {
    const fieldSelector =
      options.name === undefined
        ? options.fieldSelector
        : joinFieldSelector(`metadata.name=${options.name}`, options.fieldSelector);
    const events = await this.kube.watch(this.type, {
      namespace: options.allNamespaces ? undefined : this.#ns(options),
      labelSelector: options.labelSelector,
      fieldSelector,
      resourceVersion: options.resourceVersion,
      ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
      signal: options.signal,
    });
    try {
      for await (const ev of events) {
        if (ev.type === 'ERROR') {
          const path = `watch ${this.type.plural}`;
          throw new ApiError('GET', path, ev.object.code ?? 500, ev.object);
        }
        if (ev.type === 'BOOKMARK') continue;
        yield { type: ev.type, object: ev.object as unknown as T };
      }
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw e;
    }
  }

  /**
   * Server-side apply: sends the fields you want to own (a partial object with apiVersion, kind and
   * metadata.name) and the API server merges them, field by field, with what other managers own. Creates
   * the object when it does not exist. A field owned by another manager is a 409 conflict unless `force`.
   *
   * @example
   * ```ts
   * await client.clusters.apply({
   *   apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'demo' },
   *   spec: { ...spec, workerGroupSpecs: [{ ...group, replicas: 4 }] },
   * });
   * ```
   */
  async apply(obj: T, options: ApplyOptions = {}): Promise<T> {
    return (await this.kube.apply(this.type, asKube(this.#complete(obj, options)), {
      ...this.#write(options),
      ...(options.force ? { force: true } : {}),
    })) as unknown as T;
  }

  /**
   * Patches one object: a JSON merge patch by default (`{ spec: { suspend: true } }`), or a JSON patch.
   *
   * @example
   * ```ts
   * await client.jobs.patch('pi', { spec: { suspend: true } });
   * await client.clusters.patch('demo', [{ op: 'replace', path: '/spec/workerGroupSpecs/0/replicas', value: 3 }], { type: 'json' });
   * ```
   */
  async patch(name: string, patch: unknown, options: PatchOptions = {}): Promise<T> {
    return (await this.kube.patch(this.type, this.#ns(options), requireName(name, this.type.kind), patch, {
      ...this.#write(options),
      type: options.type ?? 'merge',
    })) as unknown as T;
  }

  /**
   * Replaces the object (optimistic concurrency: a stale `metadata.resourceVersion` is a 409 conflict).
   *
   * @example
   * ```ts
   * const job = await client.jobs.get('pi');
   * job.spec.suspend = true;
   * await client.jobs.update(job);
   * ```
   */
  async update(obj: T, options: WriteOptions = {}): Promise<T> {
    return (await this.kube.update(
      this.type,
      asKube(this.#complete(obj, options)),
      this.#write(options),
    )) as unknown as T;
  }

  /**
   * Deletes one object; resolves `false` when it did not exist.
   *
   * @example
   * ```ts
   * await client.services.delete('serve-demo');
   * ```
   */
  async delete(name: string, options: DeleteOptions = {}): Promise<boolean> {
    return this.kube.delete(this.type, this.#ns(options), requireName(name, this.type.kind), {
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
    });
  }

  /**
   * Waits until the named object meets a condition: a named one of this kind (see `clusterConditions`,
   * `jobConditions`, `serviceConditions`) or your own function. Reads the object, then follows it with a
   * watch (no polling). Rejects with WaitTimeoutError after `timeoutMs` (default 10 minutes), with the
   * signal's reason when `signal` aborts, with WaitConditionError when the condition can never hold (a job
   * that FAILED while waiting for `succeeded`, the object deleted), and with ApiError (404) when the object
   * does not exist.
   *
   * @example
   * ```ts
   * const job = await client.jobs.waitFor('pi', 'succeeded', { timeoutMs: 15 * 60_000 });
   * console.log(job.status?.jobId);
   * ```
   */
  async waitFor(name: string, condition: C | Condition<T>, options: WaitOptions = {}): Promise<T> {
    const check = typeof condition === 'function' ? condition : this.#conditions[condition];
    if (!check)
      throw new ClientError(
        `condition: ${this.type.kind} has no condition '${String(condition)}' (known: ${Object.keys(this.#conditions).join(', ')})`,
      );
    return waitForObject(this, requireName(name, this.type.kind), check, options);
  }

  #ns(options: NamespaceOption): string {
    return options.namespace ?? this.namespace;
  }

  #write(options: WriteOptions): { dryRun?: boolean; fieldManager?: string } {
    return {
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.fieldManager ? { fieldManager: options.fieldManager } : {}),
    };
  }

  #complete(obj: T, options: NamespaceOption): T {
    if (!obj || typeof obj !== 'object' || !obj.metadata || typeof obj.metadata !== 'object')
      throw new ClientError(`${this.type.kind}: metadata is required (an object with at least a name)`);
    if (obj.kind !== undefined && obj.kind !== this.type.kind)
      throw new ClientError(`kind: expected ${this.type.kind}, got ${String(obj.kind)}`);
    requireName(obj.metadata.name ?? '', this.type.kind, 'metadata.name');
    return {
      ...obj,
      apiVersion: obj.apiVersion ?? API_VERSION,
      kind: this.type.kind,
      metadata: { ...obj.metadata, namespace: obj.metadata.namespace ?? this.#ns(options) },
    };
  }
}

function requireName(name: string, kind: string, field = 'name'): string {
  if (typeof name !== 'string' || name === '')
    throw new ClientError(`${field}: the ${kind} name is required (a non-empty string)`);
  return name;
}

function joinFieldSelector(
  first: string,
  rest: Readonly<Record<string, string>> | string | undefined,
): string {
  if (rest === undefined) return first;
  const more =
    typeof rest === 'string'
      ? rest
      : Object.entries(rest)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
  return more ? `${first},${more}` : first;
}
