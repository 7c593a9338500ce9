/** Pure validation of the ray.io kinds with KubeRay's rules and messages. */
export * from './common.ts';
export { parseGoDuration } from './duration.ts';
export * from './k8s-names.ts';
export * from './raycluster.ts';
export { HISTORY_COLLECTOR_CONTAINER, TLS_ENV } from './raycluster-addons.ts';
export { isGcsFaultToleranceEnabled } from './raycluster-gcs.ts';
export * from './raycronjob.ts';
export * from './rayjob.ts';
export * from './rayservice.ts';

import type { ValidationError } from './common.ts';

/** The error text KubeRay would report for a list of errors (its joined error: one per line). */
export function validationMessage(errors: readonly ValidationError[]): string {
  return errors.map((e) => e.message).join('\n');
}
