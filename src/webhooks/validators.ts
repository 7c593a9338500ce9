import type { ObjectMeta } from '../api/k8s-types.ts';
import type { RayCluster } from '../api/raycluster.ts';
import {
  type ValidationError,
  validateRayClusterWebhook,
  validateRayJobMetadata,
  validateRayServiceMetadata,
} from '../api/validation/index.ts';
import type { FieldError } from './admission.ts';

/**
 * What each validating webhook checks, as field errors. Only the name rules and unique worker
 * group names: every deeper check runs in the reconcilers, because the webhooks are optional.
 */

export interface KindValidator {
  readonly kind: string;
  readonly path: string;
  readonly validate: (obj: { metadata: ObjectMeta; spec?: unknown }) => FieldError[];
}

/** Metadata problems are reported on `metadata.name` with the name as value (KubeRay does the same). */
function metadataErrors(meta: ObjectMeta, errors: readonly ValidationError[]): FieldError[] {
  return errors.map((e) => ({ field: 'metadata.name', value: meta.name ?? '', detail: e.message }));
}

function rayCluster(obj: { metadata: ObjectMeta; spec?: unknown }): FieldError[] {
  const cluster = obj as RayCluster;
  const all = validateRayClusterWebhook(cluster);
  const meta = all.filter((e) => e.field.startsWith('metadata'));
  const out = metadataErrors(obj.metadata, meta);
  // KubeRay stops at the first repeated group name.
  const dup = all.find((e) => e.field.startsWith('spec.workerGroupSpecs['));
  if (dup) {
    const index = Number(/\[(\d+)\]/.exec(dup.field)?.[1] ?? -1);
    out.push({ field: dup.field, value: cluster.spec?.workerGroupSpecs?.[index], detail: dup.message });
  }
  return out;
}

export const validators: readonly KindValidator[] = [
  { kind: 'RayCluster', path: '/validate-ray-io-v1-raycluster', validate: rayCluster },
  {
    kind: 'RayJob',
    path: '/validate-ray-io-v1-rayjob',
    validate: (obj) => metadataErrors(obj.metadata, validateRayJobMetadata(obj.metadata)),
  },
  {
    kind: 'RayService',
    path: '/validate-ray-io-v1-rayservice',
    validate: (obj) => metadataErrors(obj.metadata, validateRayServiceMetadata(obj.metadata)),
  },
];

export const webhookPaths: readonly string[] = validators.map((v) => v.path);
