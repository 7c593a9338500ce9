import { Annotations } from '../constants.ts';
import type { Container } from '../k8s-types.ts';
import type { RayClusterSpec } from '../raycluster.ts';
import { envVar, gates, rayContainer, type ValidationOptions } from './common.ts';

/** GCS fault-tolerance rules of the RayCluster spec, in KubeRay's order. */

const RAY_REDIS_ADDRESS = 'RAY_REDIS_ADDRESS';
const REDIS_PASSWORD = 'REDIS_PASSWORD';
const REDIS_USERNAME = 'REDIS_USERNAME';

export function isGcsFaultToleranceEnabled(
  spec: RayClusterSpec,
  annotations: Record<string, string> | undefined,
): boolean {
  return (
    (annotations?.[Annotations.ftEnabled] ?? '').toLowerCase() === 'true' ||
    spec.gcsFaultToleranceOptions !== undefined
  );
}

function hasEnv(c: Container | undefined, name: string): boolean {
  return envVar(name, c?.env) !== undefined;
}

export function validateGcsFaultTolerance(
  spec: RayClusterSpec,
  annotations: Record<string, string> | undefined,
  options: ValidationOptions,
): { field: string; message: string } | undefined {
  const ft = spec.gcsFaultToleranceOptions;
  const head = rayContainer(spec.headGroupSpec.template.spec?.containers);
  const params = spec.headGroupSpec.rayStartParams ?? {};
  const headEnv = 'headGroupSpec.template.spec.containers[0].env';
  if ((annotations?.[Annotations.ftEnabled] ?? '') !== '' && ft) {
    return {
      field: 'gcsFaultToleranceOptions',
      message: `${Annotations.ftEnabled} annotation and GcsFaultToleranceOptions are both set. Please use only GcsFaultToleranceOptions to configure GCS fault tolerance`,
    };
  }
  if (!isGcsFaultToleranceEnabled(spec, annotations) && hasEnv(head, RAY_REDIS_ADDRESS)) {
    return {
      field: headEnv,
      message: `${RAY_REDIS_ADDRESS} is set which implicitly enables GCS fault tolerance, but GcsFaultToleranceOptions is not set. Please set GcsFaultToleranceOptions to enable GCS fault tolerance`,
    };
  }
  if (ft) {
    if ((params['redis-password'] ?? '') !== '')
      return {
        field: 'headGroupSpec.rayStartParams',
        message:
          'cannot set `redis-password` in rayStartParams when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead',
      };
    if (hasEnv(head, REDIS_PASSWORD))
      return {
        field: headEnv,
        message:
          'cannot set `REDIS_PASSWORD` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead',
      };
    if (hasEnv(head, RAY_REDIS_ADDRESS))
      return {
        field: headEnv,
        message:
          'cannot set `RAY_REDIS_ADDRESS` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisAddress instead',
      };
    if ((annotations?.[Annotations.externalStorageNamespace] ?? '') !== '') {
      return {
        field: `metadata.annotations[${Annotations.externalStorageNamespace}]`,
        message:
          'cannot set `ray.io/external-storage-namespace` annotation when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.ExternalStorageNamespace instead',
      };
    }
    const rocks = validateRocksDb(spec, options);
    if (rocks) return rocks;
  }
  if ((params['redis-username'] ?? '') !== '' || hasEnv(head, REDIS_USERNAME)) {
    return {
      field: 'headGroupSpec',
      message:
        'cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead',
    };
  }
  return undefined;
}

function validateRocksDb(
  spec: RayClusterSpec,
  options: ValidationOptions,
): { field: string; message: string } | undefined {
  const ft = spec.gcsFaultToleranceOptions!;
  const f = 'gcsFaultToleranceOptions';
  if (ft.backend !== 'rocksdb') {
    if (ft.storage)
      return {
        field: `${f}.storage`,
        message:
          'gcsFaultToleranceOptions.storage can only be set when gcsFaultToleranceOptions.backend is rocksdb',
      };
    return undefined;
  }
  if (!gates(options).GCSFaultToleranceEmbeddedStorage) {
    return {
      field: `${f}.backend`,
      message:
        'gcsFaultToleranceOptions.backend rocksdb requires the GCSFaultToleranceEmbeddedStorage feature gate to be enabled',
    };
  }
  for (const k of ['redisAddress', 'redisUsername', 'redisPassword', 'externalStorageNamespace'] as const) {
    if (ft[k] !== undefined && ft[k] !== '')
      return {
        field: `${f}.${k}`,
        message: `gcsFaultToleranceOptions.${k} cannot be set when gcsFaultToleranceOptions.backend is rocksdb`,
      };
  }
  const st = ft.storage;
  if (
    st?.claimName &&
    (st.size !== undefined || st.storageClassName !== undefined || st.accessModes !== undefined)
  ) {
    return {
      field: `${f}.storage.claimName`,
      message:
        'gcsFaultToleranceOptions.storage.claimName cannot be set together with size, storageClassName or accessModes',
    };
  }
  const groups = [
    { at: 'headGroupSpec', tpl: spec.headGroupSpec.template },
    ...(spec.workerGroupSpecs ?? []).map((w, i) => ({ at: `workerGroupSpecs[${i}]`, tpl: w.template })),
  ];
  for (const { at, tpl } of groups) {
    for (const [ci, c] of (tpl.spec?.containers ?? []).entries()) {
      for (const name of ['RAY_gcs_storage', 'RAY_gcs_storage_path']) {
        if (hasEnv(c, name))
          return {
            field: `${at}.template.spec.containers[${ci}].env`,
            message: `cannot set ${name} env var when gcsFaultToleranceOptions.backend is rocksdb; the operator sets it`,
          };
      }
      for (const m of c.volumeMounts ?? []) {
        if (m.name === 'gcs-storage' || m.mountPath === '/data/gcs')
          return {
            field: `${at}.template.spec.containers[${ci}].volumeMounts`,
            message:
              'cannot mount a volume named gcs-storage or at /data/gcs when gcsFaultToleranceOptions.backend is rocksdb; the operator mounts it',
          };
      }
    }
    if ((tpl.spec?.volumes ?? []).some((v) => v.name === 'gcs-storage')) {
      return {
        field: `${at}.template.spec.volumes`,
        message:
          'cannot define a volume named gcs-storage when gcsFaultToleranceOptions.backend is rocksdb; the operator adds it',
      };
    }
  }
  return undefined;
}
