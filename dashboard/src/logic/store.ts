/** What a watched list holds: Kubernetes objects (ray.io kinds, pods, events), known by namespace and name. */
export interface Named {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
  };
}

/** One Kubernetes watch event, as each SSE message of the API server carries it. */
export interface WatchEvent<T extends Named = Named> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T | { readonly code?: number; readonly message?: string; readonly reason?: string };
}

export const keyOf = (o: Named): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The list after one watch event (a new array when something changed; the same one otherwise). */
export function applyEvent<T extends Named>(list: readonly T[], event: WatchEvent<T>): readonly T[] {
  if (event.type === 'BOOKMARK' || event.type === 'ERROR') return list;
  const obj = event.object as T;
  if (!obj?.metadata?.name) return list;
  const key = keyOf(obj);
  const i = list.findIndex((o) => keyOf(o) === key);
  if (event.type === 'DELETED') return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
  if (i < 0) return [...list, obj];
  const old = list[i]!;
  // An event older than what we hold (a relist raced the watch) is ignored.
  if (isOlder(obj.metadata.resourceVersion, old.metadata.resourceVersion)) return list;
  const next = [...list];
  next[i] = obj;
  return next;
}

/** resourceVersions are opaque strings; compare only when both are decimal integers (etcd's). */
function isOlder(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length < b.length : a < b;
}
