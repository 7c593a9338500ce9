import { API_VERSION, Kinds, type OwnerReference, type RayJob } from '../../api/index.ts';

/** The controller owner reference pointing at a RayJob. */
export function rayJobOwnerReference(rayJob: RayJob): OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: Kinds.RayJob,
    name: rayJob.metadata.name ?? '',
    uid: rayJob.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
