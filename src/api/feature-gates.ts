/**
 * KubeRay's feature gates with their stage and default (ray-operator/pkg/features): the one table the flags,
 * the builders and validation take their defaults from.
 */
export const FEATURE_GATES = {
  RayClusterStatusConditions: { stage: 'Beta', default: true },
  RayJobDeletionPolicy: { stage: 'Beta', default: true },
  RayMultiHostIndexing: { stage: 'Beta', default: true },
  RayServiceIncrementalUpgrade: { stage: 'Beta', default: true },
  RayCronJob: { stage: 'Alpha', default: false },
  SidecarSubmitterRestart: { stage: 'Alpha', default: false },
  RayClusterNetworkPolicy: { stage: 'Alpha', default: false },
  GCSFaultToleranceEmbeddedStorage: { stage: 'Alpha', default: false },
  RayClusterMTLS: { stage: 'Alpha', default: false },
  RayClusterHistoryServer: { stage: 'Alpha', default: false },
  KubernetesWAS: { stage: 'Alpha', default: false },
} as const;

export type FeatureGate = keyof typeof FEATURE_GATES;
export type FeatureGates = Readonly<Record<FeatureGate, boolean>>;

/** Every gate at its default. */
export function defaultFeatureGates(): FeatureGates {
  return Object.fromEntries(Object.entries(FEATURE_GATES).map(([k, v]) => [k, v.default])) as FeatureGates;
}
