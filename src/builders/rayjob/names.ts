import type { RayCluster } from '../../api/index.ts';
import { checkName, defaultHeadServiceName } from '../raycluster/names.ts';

/** The alphabet of apimachinery's rand.String (no vowels, no confusable digits). */
export const randomAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters from `randomAlphabet`, drawing from `random` (returns [0,1), default Math.random). */
export function randomSuffix(random: () => number = Math.random, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += randomAlphabet[Math.floor(random() * randomAlphabet.length)]!;
  return out;
}

/** `<rayjob>-<suffix>`: the generated cluster name and job id. */
export function generatedName(rayJobName: string, suffix: string): string {
  return `${rayJobName}-${suffix}`;
}

/** The head Service of a cluster: `headGroupSpec.headService.metadata.name` or `<cluster>-head-svc`. */
export function clusterHeadServiceName(rc: RayCluster): string {
  return rc.spec.headGroupSpec?.headService?.metadata?.name || defaultHeadServiceName(rc.metadata.name ?? '');
}

/** The RayJob's own head Service (§2.5). */
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
