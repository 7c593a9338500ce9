import { API_VERSION } from './constants.ts';
import type { ObjectMeta, OwnerReference } from './k8s-types.ts';

/**
 * The owner reference that makes the object described by `kind` and `metadata` the controller of another one
 * (`controller` and `blockOwnerDeletion` set, as KubeRay sets them). The one builder of owner references.
 */
export function controllerOwnerReference(
  kind: string,
  metadata: ObjectMeta,
  apiVersion: string = API_VERSION,
): OwnerReference {
  return {
    apiVersion,
    kind,
    name: metadata.name ?? '',
    uid: metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
