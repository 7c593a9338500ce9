import type { RayCluster } from '../../api/index.ts';
import { checkName, defaultHeadServiceName } from '../raycluster/names.ts';

export { randomAlphabet, randomSuffix } from '../../lib/name-suffix.ts';

/** `<rayjob>-<suffix>`: the generated cluster name and job id. */
export function generatedName(rayJobName: string, suffix: string): string {
  return `${rayJobName}-${suffix}`;
}

/** The head Service of a cluster: `headGroupSpec.headService.metadata.name` or `<cluster>-head-svc`. */
export function clusterHeadServiceName(rc: RayCluster): string {
  return rc.spec.headGroupSpec?.headService?.metadata?.name || defaultHeadServiceName(rc.metadata.name ?? '');
}

/** The RayJob's own head Service. */
export function rayJobHeadServiceName(rayJobName: string): string {
  return `${rayJobName}-head-svc`;
}

/** The Secret holding the Ray auth token of a cluster (key `auth_token`). */
export function authSecretName(rc: RayCluster): string {
  return rc.spec.authOptions?.secretName || checkName(rc.metadata.name ?? '');
}

/** True when the cluster runs Ray token auth. */
export function usesTokenAuth(rc: RayCluster | undefined): boolean {
  return rc?.spec.authOptions?.mode === 'token';
}

/** The submitter K8s Job shares the RayJob's name. */
export function submitterJobName(rayJobName: string): string {
  return rayJobName;
}
