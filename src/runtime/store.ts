import { type KubeObject, objectKey } from '../k8s/objects.ts';
import { type LabelSelector, labelMatcher } from '../k8s/selectors.ts';

/** Computes the index values of an object (e.g. its owner uids, or one label's value). */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => readonly string[];

/** Read access to cached objects; what controllers read instead of the API server. */
export interface CacheReader<T extends KubeObject = KubeObject> {
  /** The object with this namespace/name (namespace undefined for cluster-scoped kinds). */
  get(namespace: string | undefined, name: string): T | undefined;
  /** All cached objects, optionally restricted to a namespace and a label selector. */
  list(options?: {
    namespace?: string;
    labelSelector?: LabelSelector | Readonly<Record<string, string>>;
  }): T[];
  /** Objects whose index `indexName` contains `value`. Throws for an unknown index. */
  byIndex(indexName: string, value: string): T[];
}

/** Index functions every store can use. */
export const indexByOwnerUid: IndexFunc = (obj) => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);
export const indexByLabel =
  (label: string): IndexFunc =>
  (obj) => {
    const v = obj.metadata.labels?.[label];
    return v === undefined ? [] : [v];
  };
const indexByNamespace: IndexFunc = (obj) => [obj.metadata.namespace ?? ''];

/** A keyed object store with secondary indexes. Objects are stored frozen; callers copy before editing. */
export class Store<T extends KubeObject = KubeObject> implements CacheReader<T> {
  readonly #items = new Map<string, T>();
  readonly #indexers: Record<string, IndexFunc<T>>;
  /** index name -> index value -> the objects with that value, by key (objects, not keys: a list reads no map twice). */
  readonly #indexes = new Map<string, Map<string, Map<string, T>>>();

  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    this.#indexers = { namespace: indexByNamespace as IndexFunc<T>, ...indexers };
    for (const name of Object.keys(this.#indexers)) this.#indexes.set(name, new Map());
  }

  addIndexers(indexers: Readonly<Record<string, IndexFunc<T>>>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.#indexers[name] && this.#indexers[name] !== fn)
        throw new Error(`index '${name}' already exists`);
      if (this.#indexers[name]) continue;
      this.#indexers[name] = fn;
      const index = new Map<string, Map<string, T>>();
      this.#indexes.set(name, index);
      for (const [key, obj] of this.#items) for (const v of fn(obj)) addTo(index, v, key, obj);
    }
  }

  get size(): number {
    return this.#items.size;
  }

  getByKey(key: string): T | undefined {
    return this.#items.get(key);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#items.get(namespace ? `${namespace}/${name}` : name);
  }

  keys(): string[] {
    return [...this.#items.keys()];
  }

  list(
    options: { namespace?: string; labelSelector?: LabelSelector | Readonly<Record<string, string>> } = {},
  ): T[] {
    const sel = options.labelSelector;
    const ns = options.namespace;
    if (!sel) return ns !== undefined ? this.byIndex('namespace', ns) : [...this.#items.values()];
    const match = labelMatcher(sel);
    const first = ns !== undefined ? match.equalities[0] : undefined;
    const base =
      first && ns !== undefined
        ? this.byIndex(this.#labelIndex(first[0]), `${ns}/${first[1]}`)
        : ns !== undefined
          ? this.byIndex('namespace', ns)
          : [...this.#items.values()];
    // One `key = value` served by its index: every object of the bucket matches (a RayCluster's pods).
    if (first && match.equalitiesOnly && match.equalities.length === 1) return base;
    const out: T[] = [];
    for (const o of base) if (match.test(o.metadata.labels)) out.push(o);
    return out;
  }

  /**
   * The index of `namespace/value` of one label, made the first time a list in a namespace selects on that
   * label (e.g. a RayCluster's pods by `ray.io/cluster`): without it such a list scans every object of the
   * namespace, which at 50 clusters of 100 pods in one namespace cost more than the pod writes.
   */
  #labelIndex(label: string): string {
    const name = `label:${label}`;
    if (!this.#indexers[name])
      this.addIndexers({
        [name]: (obj) => {
          const v = obj.metadata.labels?.[label];
          return v === undefined ? [] : [`${obj.metadata.namespace ?? ''}/${v}`];
        },
      });
    return name;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.#indexes.get(indexName);
    if (!index) throw new Error(`unknown index '${indexName}'`);
    const bucket = index.get(value);
    return bucket ? [...bucket.values()] : [];
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.#items.get(key);
    if (old) this.#unindex(key, old);
    this.#items.set(key, obj);
    for (const [name, fn] of Object.entries(this.#indexers))
      for (const v of fn(obj)) addTo(this.#indexes.get(name)!, v, key, obj);
    return old;
  }

  /** Removes by key; returns the removed object. */
  remove(key: string): T | undefined {
    const old = this.#items.get(key);
    if (!old) return undefined;
    this.#unindex(key, old);
    this.#items.delete(key);
    return old;
  }

  #unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.#indexers)) {
      const index = this.#indexes.get(name)!;
      for (const v of fn(obj)) {
        const bucket = index.get(v);
        bucket?.delete(key);
        if (bucket?.size === 0) index.delete(v);
      }
    }
  }
}

function addTo<T>(index: Map<string, Map<string, T>>, value: string, key: string, obj: T): void {
  let bucket = index.get(value);
  if (!bucket) {
    bucket = new Map();
    index.set(value, bucket);
  }
  bucket.set(key, obj);
}
