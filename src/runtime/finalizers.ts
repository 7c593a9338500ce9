import type { KubeClient } from '../k8s/client.ts';
import type { KubeObject } from '../k8s/objects.ts';
import type { ResourceType } from '../k8s/resources.ts';

export const hasFinalizer = (obj: KubeObject, finalizer: string): boolean =>
  (obj.metadata.finalizers ?? []).includes(finalizer);

/** The finalizer list with `finalizer` added (unchanged order, no duplicates). */
export const withFinalizer = (obj: KubeObject, finalizer: string): string[] => {
  const list = obj.metadata.finalizers ?? [];
  return list.includes(finalizer) ? [...list] : [...list, finalizer];
};

export const withoutFinalizer = (obj: KubeObject, finalizer: string): string[] =>
  (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);

async function setFinalizers<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  obj: T,
  finalizers: string[],
): Promise<T> {
  // The resourceVersion in a merge patch makes it conditional: a concurrent change gives 409, retried later.
  return client.patch<T>(type, obj.metadata.namespace, obj.metadata.name ?? '', {
    metadata: { finalizers, resourceVersion: obj.metadata.resourceVersion },
  });
}

/** Adds the finalizer on the server if missing; returns the object as the server has it. */
export async function ensureFinalizer<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  obj: T,
  finalizer: string,
): Promise<T> {
  if (hasFinalizer(obj, finalizer)) return obj;
  return setFinalizers(client, type, obj, withFinalizer(obj, finalizer));
}

/** Removes the finalizer on the server if present. */
export async function removeFinalizer<T extends KubeObject>(
  client: KubeClient,
  type: ResourceType,
  obj: T,
  finalizer: string,
): Promise<T> {
  if (!hasFinalizer(obj, finalizer)) return obj;
  return setFinalizers(client, type, obj, withoutFinalizer(obj, finalizer));
}
