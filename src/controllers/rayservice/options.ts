/**
 * The operator settings the RayService controller reads: a subset of the frozen operator config, passed in
 * by the composition root so the controller never reads the environment. Each field documents its default.
 */
export interface RayServiceOptions {
  /** `ray.io/kuberay-version` written on clusters; KubeRay's tree says "nightly". */
  readonly kuberayVersion: string;
  /** ENABLE_ZERO_DOWNTIME; default true. `false` disables blue/green replacement when no upgradeStrategy is set. */
  readonly enableZeroDowntime: boolean;
  /** Feature gate RayServiceIncrementalUpgrade; default true (beta). */
  readonly incrementalUpgradeGate: boolean;
  /** Feature gate RayClusterStatusConditions; default true (beta). The Serve readiness gate reads HeadPodReady. */
  readonly clusterStatusConditionsGate: boolean;
  /** ENABLE_RAY_HEAD_CLUSTER_IP_SERVICE; default false (headless head services). */
  readonly headClusterIPService: boolean;
  /** CLUSTER_DOMAIN; default "cluster.local". */
  readonly clusterDomain: string;
  /** Default requeue after a pass; KubeRay uses 2 s. */
  readonly requeueMs: number;
  /** All feature gates, for the RayCluster rules on rayClusterConfig (as the RayCluster controller runs them); default {} (KubeRay's defaults). */
  readonly featureGates?: Readonly<Record<string, boolean>>;
}

export const defaultRayServiceOptions: RayServiceOptions = Object.freeze({
  kuberayVersion: 'nightly',
  enableZeroDowntime: true,
  incrementalUpgradeGate: true,
  clusterStatusConditionsGate: true,
  headClusterIPService: false,
  clusterDomain: 'cluster.local',
  requeueMs: 2000,
});
