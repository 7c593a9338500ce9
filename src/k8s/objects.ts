import type { KubeObject, OwnerReference } from '../api/k8s-types.ts';
import { controllerOwnerReference } from '../api/owner-reference.ts';

/**
 * Kubernetes objects stay plain JSON: the types (one definition each, in src/api/k8s-types.ts) name the fields
 * the runtime reads and let every other field through untouched (an update never drops a field it does not know).
 */
export type { KubeObject, ObjectMeta, OwnerReference } from '../api/k8s-types.ts';
export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** The cache / queue key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: { metadata: { namespace?: string; name?: string } }): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}

/** Splits a key made by `objectKey`. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The owner reference that makes `owner` the controller of another object. */
export function controllerRef(owner: KubeObject): OwnerReference {
  const { name, uid } = owner.metadata;
  if (!owner.apiVersion || !owner.kind || !name || !uid)
    throw new TypeError('controllerRef: owner needs apiVersion, kind, metadata.name and metadata.uid');
  return controllerOwnerReference(owner.kind, owner.metadata, owner.apiVersion);
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}
