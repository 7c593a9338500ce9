import { Annotations, EventReasons, MaxRayServiceNameLength } from '../constants.ts';
import type { ObjectMeta } from '../k8s-types.ts';
import type { RayService } from '../rayservice.ts';
import { gates, type ValidationError, type ValidationOptions, validateObjectName } from './common.ts';
import { parseGoDuration } from './duration.ts';
import { isAutoscalingEnabled, validateRayClusterSpec } from './raycluster.ts';

/** RayService validation with KubeRay's messages. */

const SPEC = EventReasons.invalidRayServiceSpec;
const TIMEOUT = Annotations.initializingTimeout;

/**
 * The `ray.io/initializing-timeout` annotation: a positive Go duration or a positive integer of seconds.
 * Returns milliseconds, undefined when absent or empty, or an error message.
 */
export function parseInitializingTimeout(annotations: Record<string, string> | undefined): {
  ms?: number;
  error?: string;
} {
  const v = annotations?.[TIMEOUT];
  if (v === undefined || v === '') return {};
  const d = parseGoDuration(v);
  if (d !== undefined)
    return d > 0 ? { ms: d } : { error: `annotation ${TIMEOUT} must be a positive duration, got: ${v}` };
  if (/^[+-]?[0-9]+$/.test(v)) {
    const n = Number(v);
    return n > 0
      ? { ms: n * 1000 }
      : { error: `annotation ${TIMEOUT} must be a positive integer (seconds), got: ${v}` };
  }
  return {
    error: `annotation ${TIMEOUT} has invalid format: ${v}. Expected Go duration format (e.g., '5m', '1h') or positive integer seconds`,
  };
}

export function validateRayServiceMetadata(meta: ObjectMeta): ValidationError[] {
  const reason = EventReasons.invalidRayServiceMetadata;
  const named = validateObjectName('RayService', meta, MaxRayServiceNameLength, reason);
  if (named.length) return named;
  const t = parseInitializingTimeout(meta.annotations);
  if (t.error)
    return [
      {
        field: `metadata.annotations[${TIMEOUT}]`,
        reason,
        message: `RayService annotations is invalid: ${t.error}`,
      },
    ];
  return [];
}

export function validateRayServiceSpec(svc: RayService, options: ValidationOptions = {}): ValidationError[] {
  const spec = svc.spec ?? {};
  const err = (field: string, message: string): ValidationError[] => [{ field, message, reason: SPEC }];
  const cluster = validateRayClusterSpec(
    spec.rayClusterConfig,
    svc.metadata?.annotations,
    options,
    'spec.rayClusterConfig',
  );
  if (cluster.length) return cluster.map((c) => ({ ...c, reason: SPEC }));
  if (spec.rayClusterConfig.authOptions?.enableK8sTokenAuth === true) {
    return err(
      'spec.rayClusterConfig.authOptions.enableK8sTokenAuth',
      'authOptions.enableK8sTokenAuth is not supported for RayService',
    );
  }
  if (spec.rayClusterConfig.headGroupSpec.headService?.metadata?.name) {
    return err(
      'spec.rayClusterConfig.headGroupSpec.headService.metadata.name',
      'spec.rayClusterConfig.headGroupSpec.headService.metadata.name should not be set',
    );
  }
  const type = spec.upgradeStrategy?.type;
  if (type !== undefined && !['None', 'NewCluster', 'NewClusterWithIncrementalUpgrade'].includes(type)) {
    return err(
      'spec.upgradeStrategy.type',
      `Spec.UpgradeStrategy.Type value ${type} is invalid, valid options are NewClusterWithIncrementalUpgrade, NewCluster, or None`,
    );
  }
  const delay = spec.rayClusterDeletionDelaySeconds;
  if (delay !== undefined && delay < 0) {
    return err(
      'spec.rayClusterDeletionDelaySeconds',
      `Spec.RayClusterDeletionDelaySeconds should be a non-negative integer, got ${delay}`,
    );
  }
  if (type === 'NewClusterWithIncrementalUpgrade' && gates(options).RayServiceIncrementalUpgrade) {
    return validateClusterUpgradeOptions(svc);
  }
  return [];
}

function validateClusterUpgradeOptions(svc: RayService): ValidationError[] {
  const err = (field: string, message: string): ValidationError[] => [{ field, message, reason: SPEC }];
  const f = 'spec.upgradeStrategy.clusterUpgradeOptions';
  if (!isAutoscalingEnabled(svc.spec.rayClusterConfig)) {
    return err(
      'spec.rayClusterConfig.enableInTreeAutoscaling',
      'Ray Autoscaler is required for NewClusterWithIncrementalUpgrade',
    );
  }
  const o = svc.spec.upgradeStrategy?.clusterUpgradeOptions;
  if (!o) return err(f, 'ClusterUpgradeOptions are required for NewClusterWithIncrementalUpgrade');
  const surge = o.maxSurgePercent ?? 100;
  if (surge < 0 || surge > 100)
    return err(`${f}.maxSurgePercent`, 'maxSurgePercent must be between 0 and 100');
  if (o.stepSizePercent === undefined || o.stepSizePercent < 0 || o.stepSizePercent > 100) {
    return err(`${f}.stepSizePercent`, 'stepSizePercent must be between 0 and 100');
  }
  if (o.stepSizePercent > surge)
    return err(`${f}.stepSizePercent`, 'stepSizePercent must be less than or equal to maxSurgePercent');
  if (o.intervalSeconds === undefined || o.intervalSeconds <= 0)
    return err(`${f}.intervalSeconds`, 'intervalSeconds must be greater than 0');
  if (!o.gatewayClassName)
    return err(`${f}.gatewayClassName`, 'gatewayClassName is required for NewClusterWithIncrementalUpgrade');
  return [];
}

/** Metadata, then spec, stopping at the first group that fails (as the controller does). */
export function validateRayService(svc: RayService, options: ValidationOptions = {}): ValidationError[] {
  const meta = validateRayServiceMetadata(svc.metadata);
  if (meta.length) return meta;
  return validateRayServiceSpec(svc, options);
}
