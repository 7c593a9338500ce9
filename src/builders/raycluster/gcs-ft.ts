import type { Container, RayCluster, Volume } from '../../api/index.ts';
import { annotation, gcsStoragePath, gcsStorageVolume } from './constants.ts';
import { appendEnvIfAbsent, hasEnv } from './env.ts';
import { gcsPvcName } from './names.ts';

export function gcsFtEnabled(rc: RayCluster): boolean {
  return (
    rc.metadata.annotations?.[annotation.ftEnabled]?.toLowerCase() === 'true' ||
    rc.spec.gcsFaultToleranceOptions !== undefined
  );
}

export function rocksDbBackend(rc: RayCluster): boolean {
  return rc.spec.gcsFaultToleranceOptions?.backend === 'rocksdb';
}

/** The effective Redis storage namespace: options, else the cluster annotation, else the cluster UID. */
export function storageNamespace(rc: RayCluster): string {
  return (
    rc.spec.gcsFaultToleranceOptions?.externalStorageNamespace ||
    rc.metadata.annotations?.[annotation.externalStorageNamespace] ||
    rc.metadata.uid ||
    ''
  );
}

export interface HeadFtResult {
  readonly container: Container;
  readonly params: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly volumes: Volume[];
}

/** GCS fault-tolerance wiring of the head Ray container. */
export function applyHeadGcsFt(
  rc: RayCluster,
  container: Container,
  params: Record<string, string>,
): HeadFtResult {
  if (!gcsFtEnabled(rc)) return { container, params, annotations: {}, volumes: [] };
  const env = [...(container.env ?? [])];
  const outParams = { ...params };
  const opts = rc.spec.gcsFaultToleranceOptions;
  if (rocksDbBackend(rc)) {
    appendEnvIfAbsent(
      env,
      { name: 'RAY_gcs_storage', value: 'rocksdb' },
      { name: 'RAY_gcs_storage_path', value: gcsStoragePath },
    );
    const storage = opts?.storage;
    const mount = {
      name: gcsStorageVolume,
      mountPath: gcsStoragePath,
      ...(storage?.subPath ? { subPath: storage.subPath } : {}),
    };
    const claimName = storage?.claimName || gcsPvcName(rc.metadata.name ?? '');
    return {
      container: { ...container, env, volumeMounts: [...(container.volumeMounts ?? []), mount] },
      params: outParams,
      annotations: {},
      volumes: [{ name: gcsStorageVolume, persistentVolumeClaim: { claimName } }],
    };
  }
  const ns = storageNamespace(rc);
  appendEnvIfAbsent(env, { name: 'RAY_external_storage_namespace', value: ns });
  if (opts) {
    env.push({ name: 'RAY_REDIS_ADDRESS', value: opts.redisAddress ?? '' });
    if (opts.redisUsername) {
      env.push({ name: 'REDIS_USERNAME', ...opts.redisUsername });
      outParams['redis-username'] = '$REDIS_USERNAME';
    }
    if (opts.redisPassword) {
      env.push({ name: 'REDIS_PASSWORD', ...opts.redisPassword });
      outParams['redis-password'] = '$REDIS_PASSWORD';
    }
  } else if (outParams['redis-password'] !== undefined && !hasEnv(env, 'REDIS_PASSWORD')) {
    env.push({ name: 'REDIS_PASSWORD', value: outParams['redis-password'] });
  }
  return {
    container: { ...container, env },
    params: outParams,
    annotations: { [annotation.externalStorageNamespace]: ns },
    volumes: [],
  };
}

export function applyWorkerGcsFt(rc: RayCluster, container: Container): Container {
  if (!gcsFtEnabled(rc)) return container;
  return {
    ...container,
    env: appendEnvIfAbsent([...(container.env ?? [])], {
      name: 'RAY_gcs_rpc_server_reconnect_timeout_s',
      value: '600',
    }),
  };
}
