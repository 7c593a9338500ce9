import { controllerOwnerReference, Kinds, type OwnerReference, type RayJob } from '../../api/index.ts';

/** The controller owner reference pointing at a RayJob. */
export function rayJobOwnerReference(rayJob: RayJob): OwnerReference {
  return controllerOwnerReference(Kinds.RayJob, rayJob.metadata);
}
