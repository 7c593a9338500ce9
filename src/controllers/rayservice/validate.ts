import type { RayService } from '../../api/index.ts';
import type { FeatureGates } from '../../api/validation/common.ts';
import { validateRayService as validateWithApi } from '../../api/validation/rayservice.ts';

export interface ValidationFailure {
  /** `metadata` → event InvalidRayServiceMetadata, `spec` → InvalidRayServiceSpec. */
  readonly kind: 'metadata' | 'spec';
  readonly message: string;
}

const managedByValues = ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue'];

/**
 * The controller's validation (the webhook is optional): the one RayService validator of src/api (KubeRay's
 * rules and messages, including the RayCluster spec rules on rayClusterConfig with the same feature gates the
 * RayCluster controller uses), then `spec.managedBy`, which only the controller checks.
 */
export function validateRayServiceFull(
  rs: RayService,
  features: Readonly<Record<string, boolean>> = {},
): ValidationFailure | undefined {
  const [first] = validateWithApi(rs, {
    features: features as Partial<FeatureGates>,
  });
  if (first)
    return {
      kind: first.reason === 'InvalidRayServiceMetadata' ? 'metadata' : 'spec',
      message: first.message,
    };
  const managedBy = rs.spec?.managedBy;
  if (managedBy !== undefined && !managedByValues.includes(managedBy))
    return {
      kind: 'spec',
      message: `spec.managedBy must be one of ${managedByValues.join(', ')}, got "${managedBy}"`,
    };
  return undefined;
}
