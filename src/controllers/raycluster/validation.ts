import type { RayCluster } from '../../api/index.ts';
import type { InvalidVerdict } from '../../api/validation/common.ts';
import {
  type FeatureGates,
  rayClusterSpecWarning,
  type ValidationError,
  validateRayClusterMetadata,
  validateRayClusterSpec,
  validateRayClusterStatus,
  validateRayClusterUpgradeStrategy,
} from '../../api/validation/index.ts';
import type { BuilderConfig } from '../../builders/raycluster/index.ts';

/**
 * The RayCluster controller's view of the one RayCluster validator in `src/api/validation` (docs/api.md,
 * "Validation"): the first failure as an event reason (action Validate) and KubeRay's message. No rule lives here.
 */
export type { InvalidVerdict as Invalid } from '../../api/validation/common.ts';

function first(errors: readonly ValidationError[]): InvalidVerdict | undefined {
  const e = errors[0];
  return e ? { reason: e.reason, message: e.message } : undefined;
}

/** Metadata, then spec (with the add-on rules the gates switch on), then upgradeStrategy; first failure wins. */
export function validateCluster(
  rc: RayCluster,
  config: Pick<BuilderConfig, 'featureGates'>,
): InvalidVerdict | undefined {
  const features = config.featureGates as Partial<FeatureGates>;
  return (
    first(validateRayClusterMetadata(rc.metadata)) ??
    first(validateRayClusterSpec(rc.spec, rc.metadata.annotations, { features })) ??
    first(validateRayClusterUpgradeStrategy(rc))
  );
}

/** The spec rules alone (a RayJob's or RayService's embedded rayClusterSpec, whose name is not yet chosen). */
export function validateClusterSpec(
  rc: RayCluster,
  config: Pick<BuilderConfig, 'featureGates'>,
): InvalidVerdict | undefined {
  const features = config.featureGates as Partial<FeatureGates>;
  return first(validateRayClusterSpec(rc.spec, rc.metadata.annotations, { features }));
}

export function validateStatus(rc: RayCluster): InvalidVerdict | undefined {
  return first(validateRayClusterStatus(rc.status?.conditions));
}

/** The non-blocking warning (autoscaler v1 with worker restartPolicy other than Never). */
export function specWarning(rc: RayCluster): string | undefined {
  return rayClusterSpecWarning(rc.spec);
}
