import { rayStartParamsKeyProblem } from '../../api/validation/raycluster.ts';
import type { BuilderConfig, RayCluster } from '../../builders/raycluster/index.ts';
import {
  annotation,
  autoscalingEnabled,
  envValue,
  gateEnabled,
  label,
  parseVersion,
  versionAtLeast,
} from '../../builders/raycluster/index.ts';

/** A validation failure: the event reason (action Validate) and KubeRay's message. */
export interface Invalid {
  readonly reason: string;
  readonly message: string;
}

const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelKey =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function validateMetadata(rc: RayCluster): Invalid | undefined {
  const name = rc.metadata.name ?? '';
  if (name.length > 53)
    return {
      reason: 'InvalidRayClusterMetadata',
      message: 'RayCluster name should be no more than 53 characters',
    };
  if (!dns1035.test(name) || name.length > 63)
    return {
      reason: 'InvalidRayClusterMetadata',
      message: `RayCluster name should be a valid DNS1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]`,
    };
  return undefined;
}

function isV2(rc: RayCluster): boolean {
  if (rc.spec.autoscalerOptions?.version === 'v2') return true;
  const v = envValue(rc.spec.headGroupSpec.template.spec.containers[0]?.env, 'RAY_enable_autoscaler_v2');
  return v === '1' || v?.toLowerCase() === 'true';
}

const resourceParams = ['num-cpus', 'num-gpus', 'memory', 'resources'];

function groupChecks(
  params: Record<string, string> | undefined,
  resources: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
  grp: string,
): string | undefined {
  const badKey = rayStartParamsKeyProblem(grp, params);
  if (badKey) return badKey;
  if (resources && Object.keys(resources).length > 0 && resourceParams.some((k) => params?.[k] !== undefined))
    return `resource fields should not be set in both rayStartParams and Resources for ${grp} group; please use only one`;
  if (params?.labels !== undefined)
    return `rayStartParams['labels'] is not supported for ${grp} group; please use the top-level Labels field instead`;
  const errs: string[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (!labelKey.test(k)) errs.push(`invalid label key ${JSON.stringify(k)} for ${grp} group`);
    if (v.length > 63 || !labelValue.test(v))
      errs.push(`invalid label value ${JSON.stringify(v)} for key ${JSON.stringify(k)} in ${grp} group`);
  }
  return errs.length ? errs.join('; ') : undefined;
}

/** The controller's spec validation (§3.3), first failure wins. */
export function validateSpec(
  rc: RayCluster,
  config: Pick<BuilderConfig, 'featureGates'>,
): Invalid | undefined {
  const bad = (message: string): Invalid => ({ reason: 'InvalidRayClusterSpec', message });
  const spec = rc.spec;
  const head = spec.headGroupSpec;
  const headRay = head?.template?.spec?.containers?.[0];
  if (!headRay) return bad('headGroupSpec should have at least one container');
  const headErr = groupChecks(head.rayStartParams, head.resources, head.labels, 'Head');
  if (headErr) return bad(headErr);
  const autoscaling = autoscalingEnabled(rc);
  for (const g of spec.workerGroupSpecs ?? []) {
    if (!g.template?.spec?.containers?.length)
      return bad('workerGroupSpec should have at least one container');
    const e = groupChecks(g.rayStartParams, g.resources, g.labels, g.groupName);
    if (e) return bad(e);
    if (!autoscaling && (g.minReplicas === undefined || g.maxReplicas === undefined))
      return bad(
        `worker group ${g.groupName} must set both minReplicas and maxReplicas when autoscaling is disabled`,
      );
    if ((g.minReplicas ?? 0) < 0)
      return bad(`minReplicas (${g.minReplicas}) is negative in worker group ${g.groupName}`);
    if ((g.maxReplicas ?? 0) < 0)
      return bad(`maxReplicas (${g.maxReplicas}) is negative in worker group ${g.groupName}`);
    if (g.minReplicas !== undefined && g.maxReplicas !== undefined && g.minReplicas > g.maxReplicas)
      return bad(
        `minReplicas ${g.minReplicas} greater than maxReplicas ${g.maxReplicas} in worker group ${g.groupName}`,
      );
    if (g.idleTimeoutSeconds !== undefined && g.idleTimeoutSeconds < 0)
      return bad(`idleTimeoutSeconds must be non-negative, got ${g.idleTimeoutSeconds}`);
    if (g.idleTimeoutSeconds !== undefined && !isV2(rc))
      return bad(
        `worker group ${g.groupName} has idleTimeoutSeconds set, but autoscaler version is not v2. Please set .spec.autoscalerOptions.version to v2`,
      );
    if ((g.priority ?? 0) !== 0) {
      if (!parseVersion(spec.rayVersion) || !versionAtLeast(spec.rayVersion, '2.56.0'))
        return bad(`worker group ${g.groupName} sets priority, which requires rayVersion >= 2.56.0`);
      if (!isV2(rc)) return bad(`worker group ${g.groupName} sets priority, which requires autoscaler v2`);
    }
  }
  const ftAnnotation = rc.metadata.annotations?.[annotation.ftEnabled];
  const ft = spec.gcsFaultToleranceOptions;
  const headEnv = headRay.env;
  const ftEnabled = ftAnnotation?.toLowerCase() === 'true' || ft !== undefined;
  if (ftAnnotation && ft)
    return bad(
      `${annotation.ftEnabled} annotation should not be used with GcsFaultToleranceOptions; please use GcsFaultToleranceOptions only`,
    );
  if (!ftEnabled && envValue(headEnv, 'RAY_REDIS_ADDRESS') !== undefined)
    return bad(
      'RAY_REDIS_ADDRESS should not be set when GCS fault tolerance is disabled; please enable GcsFaultToleranceOptions',
    );
  if (ft) {
    if (head.rayStartParams?.['redis-password'] !== undefined)
      return bad(
        'cannot set `redis-password` in rayStartParams when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead',
      );
    if ((headEnv ?? []).some((e) => e.name === 'REDIS_PASSWORD'))
      return bad(
        'cannot set `REDIS_PASSWORD` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisPassword instead',
      );
    if ((headEnv ?? []).some((e) => e.name === 'RAY_REDIS_ADDRESS'))
      return bad(
        'cannot set `RAY_REDIS_ADDRESS` env var in head Pod when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.RedisAddress instead',
      );
    if (rc.metadata.annotations?.[annotation.externalStorageNamespace] !== undefined)
      return bad(
        `cannot set \`${annotation.externalStorageNamespace}\` annotation when GcsFaultToleranceOptions is enabled - use GcsFaultToleranceOptions.ExternalStorageNamespace instead`,
      );
    if (ft.backend === 'rocksdb') {
      if (!gateEnabled(config, 'GCSFaultToleranceEmbeddedStorage'))
        return bad(
          'the GCSFaultToleranceEmbeddedStorage feature gate must be enabled to use the rocksdb backend',
        );
      if (ft.redisAddress || ft.redisUsername || ft.redisPassword || ft.externalStorageNamespace)
        return bad('redis fields cannot be set when gcsFaultToleranceOptions.backend is rocksdb');
      const st = ft.storage;
      if (st?.claimName && (st.size || st.storageClassName || st.accessModes?.length))
        return bad(
          'gcsFaultToleranceOptions.storage.claimName cannot be combined with size, storageClassName or accessModes',
        );
      if ((headEnv ?? []).some((e) => e.name === 'RAY_gcs_storage' || e.name === 'RAY_gcs_storage_path'))
        return bad(
          'RAY_gcs_storage and RAY_gcs_storage_path are managed by the operator when the rocksdb backend is used',
        );
      const vols = head.template.spec.volumes ?? [];
      const mounts = headRay.volumeMounts ?? [];
      if (
        vols.some((v) => v.name === 'gcs-storage') ||
        mounts.some((m) => m.name === 'gcs-storage' || m.mountPath === '/data/gcs')
      )
        return bad(
          'the volume name gcs-storage and the mount path /data/gcs are reserved for the rocksdb backend',
        );
    } else if (ft.storage) {
      return bad('gcsFaultToleranceOptions.storage can only be set when the backend is rocksdb');
    }
  }
  if (
    head.rayStartParams?.['redis-username'] !== undefined ||
    (headEnv ?? []).some((e) => e.name === 'REDIS_USERNAME')
  )
    return bad(
      'cannot set redis username in rayStartParams or environment variables - use GcsFaultToleranceOptions.RedisUsername instead',
    );
  for (const g of spec.workerGroupSpecs ?? []) {
    if (g.suspend === true) {
      if (!gateEnabled(config, 'RayJobDeletionPolicy'))
        return bad(
          `worker group ${g.groupName} can be suspended only when the RayJobDeletionPolicy feature gate is enabled`,
        );
      if (autoscaling) return bad(`worker group ${g.groupName} cannot be suspended with Autoscaler enabled`);
    }
  }
  const envV2 = envValue(headEnv, 'RAY_enable_autoscaler_v2');
  if (!autoscaling && (envV2 === '1' || envV2?.toLowerCase() === 'true'))
    return bad(
      'RAY_enable_autoscaler_v2 env var is set to true in the head Pod, but enableInTreeAutoscaling is not enabled',
    );
  if (autoscaling) {
    if (spec.autoscalerOptions?.version && envV2 !== undefined)
      return bad(
        'both autoscalerOptions.version and head Pod env RAY_enable_autoscaler_v2 are set; please use only one',
      );
    if (isV2(rc)) {
      const rp = [
        head.template.spec.restartPolicy,
        ...(spec.workerGroupSpecs ?? []).map((g) => g.template.spec.restartPolicy),
      ];
      if (rp.some((p) => p && p !== 'Never'))
        return bad(
          'restartPolicy for head Pod and worker Pods must be Never or unset when using autoscaler v2',
        );
    }
  }
  if ((spec.autoscalerOptions?.idleTimeoutSeconds ?? 0) < 0)
    return bad(
      `autoscalerOptions.idleTimeoutSeconds must be non-negative, got ${spec.autoscalerOptions?.idleTimeoutSeconds}`,
    );
  if ((spec.autoscalerOptions?.env ?? []).some((e) => e.name === 'KUBERAY_GEN_AUTOSCALER_START_CMD'))
    return bad(
      'autoscalerOptions.env must not contain KUBERAY_GEN_AUTOSCALER_START_CMD, which is reserved by the operator',
    );
  if (spec.historyServerOptions !== undefined && !gateEnabled(config, 'RayClusterHistoryServer'))
    return bad('the RayClusterHistoryServer feature gate must be enabled to use historyServerOptions');
  const auth = spec.authOptions;
  if (auth?.mode === 'token') {
    if (!spec.rayVersion) return bad('authOptions.mode token requires rayVersion to be set');
    if (!parseVersion(spec.rayVersion))
      return bad(`authOptions.mode token: failed to parse rayVersion ${spec.rayVersion}`);
    if (!versionAtLeast(spec.rayVersion, '2.52.0'))
      return bad(`authOptions.mode token requires Ray version >= 2.52.0, got ${spec.rayVersion}`);
    if (auth.enableK8sTokenAuth) {
      if (!versionAtLeast(spec.rayVersion, '2.55.0'))
        return bad(`authOptions.enableK8sTokenAuth requires Ray version >= 2.55.0, got ${spec.rayVersion}`);
      if (auth.secretName)
        return bad('authOptions.enableK8sTokenAuth cannot be used with authOptions.secretName');
    }
  } else if (auth?.enableK8sTokenAuth) {
    return bad('authOptions.enableK8sTokenAuth requires authOptions.mode to be token');
  }
  if (spec.networkPolicy !== undefined && !gateEnabled(config, 'RayClusterNetworkPolicy'))
    return bad('the RayClusterNetworkPolicy feature gate must be enabled to use networkPolicy');
  if (spec.tlsOptions !== undefined && !gateEnabled(config, 'RayClusterMTLS'))
    return bad('the RayClusterMTLS feature gate must be enabled to use tlsOptions');
  return undefined;
}

export function validateUpgradeStrategy(rc: RayCluster): Invalid | undefined {
  const t = rc.spec.upgradeStrategy?.type;
  if (t === undefined) return undefined;
  if (t !== 'Recreate' && t !== 'None')
    return {
      reason: 'InvalidRayClusterSpec',
      message: `The RayCluster spec is invalid: Spec.UpgradeStrategy.Type value ${t} is invalid, valid options are Recreate or None`,
    };
  const creator = rc.metadata.labels?.[label.originatedFromCrd];
  if (creator === 'RayJob' || creator === 'RayService')
    return {
      reason: 'InvalidRayClusterSpec',
      message: `upgradeStrategy cannot be set when RayCluster is created by ${creator}`,
    };
  return undefined;
}

export function validateStatus(rc: RayCluster): Invalid | undefined {
  const c = rc.status?.conditions ?? [];
  const t = (type: string) => c.some((x) => x.type === type && x.status === 'True');
  if (t('RayClusterSuspending') && t('RayClusterSuspended'))
    return {
      reason: 'InvalidRayClusterStatus',
      message:
        'The RayCluster status is invalid: RayClusterSuspending and RayClusterSuspended conditions should not be both true',
    };
  return undefined;
}

/** A non-blocking warning (autoscaler v1 with worker restartPolicy other than Never). */
export function specWarning(rc: RayCluster): string | undefined {
  if (!autoscalingEnabled(rc) || rc.spec.autoscalerOptions?.version !== 'v1') return undefined;
  const groups = (rc.spec.workerGroupSpecs ?? [])
    .filter((g) => g.template.spec.restartPolicy && g.template.spec.restartPolicy !== 'Never')
    .map((g) => g.groupName);
  if (groups.length === 0) return undefined;
  return `RayCluster spec warning for ${rc.metadata.namespace}/${rc.metadata.name}: restartPolicy for worker groups [${groups.join(' ')}] should be Never or unset when using autoscaler V1`;
}
