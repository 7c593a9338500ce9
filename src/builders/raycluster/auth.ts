import type { Container, EnvVar, RayCluster, Volume, VolumeMount } from '../../api/index.ts';
import { appendEnvIfAbsent } from './env.ts';
import { checkName } from './names.ts';

export const authTokenKey = 'auth_token';
export const rayTokenVolume = 'ray-token';
export const rayTokenMountPath = '/var/run/secrets/ray.io/serviceaccount';

export function tokenAuthEnabled(rc: RayCluster): boolean {
  return rc.spec.authOptions?.mode === 'token';
}

export function k8sTokenAuth(rc: RayCluster): boolean {
  return tokenAuthEnabled(rc) && rc.spec.authOptions?.enableK8sTokenAuth === true;
}

export function authSecretName(rc: RayCluster): string {
  return rc.spec.authOptions?.secretName || checkName(rc.metadata.name ?? '');
}

/** The env vars token auth adds to the Ray, wait-gcs-ready, autoscaler and collector containers. */
export function authEnv(rc: RayCluster): EnvVar[] {
  if (!tokenAuthEnabled(rc)) return [];
  const env: EnvVar[] = [{ name: 'RAY_AUTH_MODE', value: 'token' }];
  if (k8sTokenAuth(rc)) env.push({ name: 'RAY_ENABLE_K8S_TOKEN_AUTH', value: 'true' });
  else
    env.push({
      name: 'RAY_AUTH_TOKEN',
      valueFrom: { secretKeyRef: { name: authSecretName(rc), key: authTokenKey } },
    });
  return env;
}

export function applyAuth(container: Container, rc: RayCluster): Container {
  if (!tokenAuthEnabled(rc)) return container;
  const out: Container = { ...container, env: appendEnvIfAbsent([...(container.env ?? [])], ...authEnv(rc)) };
  if (k8sTokenAuth(rc)) {
    const mount: VolumeMount = { name: rayTokenVolume, mountPath: rayTokenMountPath, readOnly: true };
    if (!(out.volumeMounts ?? []).some((m) => m.name === rayTokenVolume))
      out.volumeMounts = [...(out.volumeMounts ?? []), mount];
  }
  return out;
}

export function tokenVolume(): Volume {
  return {
    name: rayTokenVolume,
    projected: { sources: [{ serviceAccountToken: { path: 'token' } }] },
  };
}
