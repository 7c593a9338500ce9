import { type KubeObject, objectKey } from '../k8s/objects.ts';

interface RelistDiff<T extends KubeObject> {
  readonly added: T[];
  readonly updated: { old: T; obj: T }[];
  readonly deleted: T[];
}

/**
 * What changed between the cached objects and a fresh list: objects new to the cache, objects whose
 * resourceVersion moved, and cached objects the list no longer has (deleted while we were not watching).
 */
export function diffRelist<T extends KubeObject>(
  cached: ReadonlyMap<string, T>,
  listed: readonly T[],
): RelistDiff<T> {
  const added: T[] = [];
  const updated: { old: T; obj: T }[] = [];
  const seen = new Set<string>();
  for (const obj of listed) {
    const key = objectKey(obj);
    seen.add(key);
    const old = cached.get(key);
    if (!old) added.push(obj);
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) updated.push({ old, obj });
  }
  const deleted = [...cached].filter(([k]) => !seen.has(k)).map(([, o]) => o);
  return { added, updated, deleted };
}
