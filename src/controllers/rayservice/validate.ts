import { Annotations, MaxRayServiceNameLength, RayServiceUpgradeTypes } from '../../api/constants.ts';
import type { RayService as ApiRayService } from '../../api/rayservice.ts';
import { validateRayService as validateWithApi } from '../../api/validation/rayservice.ts';
import type { RayService } from '../../builders/rayservice/types.ts';
import { parseInitializingTimeout } from './initializing-timeout.ts';

export interface ValidationFailure {
  /** `metadata` → event InvalidRayServiceMetadata, `spec` → InvalidRayServiceSpec. */
  readonly kind: 'metadata' | 'spec';
  readonly message: string;
}

const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const managedByValues = ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue'];

/**
 * The controller's validation (the webhook is optional): src/api's RayService validator first (KubeRay's
 * rules and messages, including the full RayCluster validation of rayClusterConfig), then the local checks.
 */
export function validateRayServiceFull(
  rs: RayService,
  incrementalUpgradeGate = true,
): ValidationFailure | undefined {
  const [first] = validateWithApi(rs as unknown as ApiRayService, {
    features: { RayServiceIncrementalUpgrade: incrementalUpgradeGate },
  });
  if (first)
    return {
      kind: first.reason === 'InvalidRayServiceMetadata' ? 'metadata' : 'spec',
      message: first.message,
    };
  return validateRayService(rs);
}

/** RayService validation the controller repeats (the webhook is optional). Returns the first failure. */
export function validateRayService(rs: RayService): ValidationFailure | undefined {
  const name = rs.metadata.name ?? '';
  if (name.length > MaxRayServiceNameLength)
    return {
      kind: 'metadata',
      message: `RayService name should be no more than ${MaxRayServiceNameLength} characters`,
    };
  if (!dns1035.test(name))
    return { kind: 'metadata', message: `RayService name should be a valid DNS1035 label: "${name}"` };
  const timeout = rs.metadata.annotations?.[Annotations.initializingTimeout];
  if (timeout !== undefined) {
    const parsed = parseInitializingTimeout(timeout);
    if (parsed instanceof Error) return { kind: 'metadata', message: parsed.message };
  }
  const spec = rs.spec;
  if (!spec?.rayClusterConfig?.headGroupSpec)
    return { kind: 'spec', message: 'spec.rayClusterConfig.headGroupSpec is required' };
  if (spec.rayClusterConfig.headGroupSpec.headService?.metadata?.name)
    return {
      kind: 'spec',
      message:
        'spec.rayClusterConfig.headGroupSpec.headService.metadata.name should not be set for a RayService',
    };
  if (spec.managedBy !== undefined && !managedByValues.includes(spec.managedBy))
    return {
      kind: 'spec',
      message: `spec.managedBy must be one of ${managedByValues.join(', ')}, got "${spec.managedBy}"`,
    };
  if (spec.rayClusterDeletionDelaySeconds !== undefined && spec.rayClusterDeletionDelaySeconds < 0)
    return { kind: 'spec', message: 'spec.rayClusterDeletionDelaySeconds must be >= 0' };
  const type = spec.upgradeStrategy?.type;
  if (type !== undefined && !Object.values(RayServiceUpgradeTypes).includes(type as never))
    return {
      kind: 'spec',
      message: `spec.upgradeStrategy.type must be one of ${Object.values(RayServiceUpgradeTypes).join(', ')}, got "${type}"`,
    };
  if (type === RayServiceUpgradeTypes.newClusterWithIncrementalUpgrade) return validateIncremental(rs);
  return undefined;
}

function validateIncremental(rs: RayService): ValidationFailure | undefined {
  const spec = rs.spec;
  const fail = (message: string): ValidationFailure => ({ kind: 'spec', message });
  if (spec.rayClusterConfig.enableInTreeAutoscaling !== true)
    return fail(
      'spec.rayClusterConfig.enableInTreeAutoscaling must be true for NewClusterWithIncrementalUpgrade',
    );
  const o = spec.upgradeStrategy?.clusterUpgradeOptions;
  if (!o)
    return fail(
      'spec.upgradeStrategy.clusterUpgradeOptions is required for NewClusterWithIncrementalUpgrade',
    );
  const maxSurge = o.maxSurgePercent ?? 100;
  if (maxSurge < 0 || maxSurge > 100)
    return fail('clusterUpgradeOptions.maxSurgePercent must be between 0 and 100');
  if (o.stepSizePercent === undefined) return fail('clusterUpgradeOptions.stepSizePercent is required');
  if (o.stepSizePercent < 0 || o.stepSizePercent > 100)
    return fail('clusterUpgradeOptions.stepSizePercent must be between 0 and 100');
  if (o.stepSizePercent > maxSurge)
    return fail('clusterUpgradeOptions.stepSizePercent must be <= maxSurgePercent');
  if (o.intervalSeconds === undefined || o.intervalSeconds <= 0)
    return fail('clusterUpgradeOptions.intervalSeconds is required and must be > 0');
  if (!o.gatewayClassName) return fail('clusterUpgradeOptions.gatewayClassName is required');
  return undefined;
}
