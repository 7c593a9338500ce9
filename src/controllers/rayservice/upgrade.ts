import { Annotations, RayServiceConditionTypes, RayServiceUpgradeTypes } from '../../api/constants.ts';
import type { RayCluster, RayService } from '../../api/index.ts';
import { clusterSpecHash, partialClusterSpecHash } from '../../builders/rayservice/hash.ts';
import { isConditionTrue } from '../common/conditions.ts';

/** Options the upgrade decisions read (a subset of RayServiceOptions). */
interface UpgradeFlags {
  readonly enableZeroDowntime: boolean;
  readonly incrementalUpgradeGate: boolean;
  readonly kuberayVersion: string;
}

/** True when the RayService upgrades through the Gateway API (the strategy is set and the gate is on). */
export function isIncrementalUpgrade(
  rs: RayService,
  flags: Pick<UpgradeFlags, 'incrementalUpgradeGate'>,
): boolean {
  return (
    flags.incrementalUpgradeGate &&
    rs.spec.upgradeStrategy?.type === RayServiceUpgradeTypes.newClusterWithIncrementalUpgrade
  );
}

/**
 * Whether a change to `rayClusterConfig` is rolled out on a new cluster. An explicit upgradeStrategy wins;
 * without one, only `ENABLE_ZERO_DOWNTIME=false` turns it off.
 */
export function zeroDowntimeEnabled(rs: RayService, flags: Omit<UpgradeFlags, 'kuberayVersion'>): boolean {
  const type = rs.spec.upgradeStrategy?.type;
  if (type) {
    if (type === RayServiceUpgradeTypes.newCluster) return true;
    if (type === RayServiceUpgradeTypes.newClusterWithIncrementalUpgrade) return flags.incrementalUpgradeGate;
    return false;
  }
  return flags.enableZeroDowntime;
}

type SpecComparison = 'same' | 'appendedGroups' | 'changed';

/** Compares the goal `rayClusterConfig` with the spec a cluster was built from (its hash annotations). */
export function compareClusterSpec(rs: RayService, cluster: RayCluster): SpecComparison {
  const goal = rs.spec.rayClusterConfig;
  const have = cluster.metadata.annotations?.[Annotations.hashWithoutReplicasAndWorkersToDelete];
  if (have !== undefined && clusterSpecHash(goal) === have) return 'same';
  const n = Number.parseInt(cluster.metadata.annotations?.[Annotations.numWorkerGroups] ?? '', 10);
  if (Number.isInteger(n) && n >= 0 && (goal.workerGroupSpecs ?? []).length >= n) {
    if (have !== undefined && partialClusterSpecHash(goal, n) === have) return 'appendedGroups';
  }
  return 'changed';
}

/**
 * Whether a cluster is updated in place with the goal spec: worker groups were only appended, or (the active
 * cluster only) it was built by another operator version. Never for the active cluster during an upgrade.
 */
export function shouldUpdateCluster(
  rs: RayService,
  cluster: RayCluster,
  side: 'active' | 'pending',
  flags: Pick<UpgradeFlags, 'kuberayVersion'>,
): boolean {
  if (side === 'active') {
    if (isConditionTrue(rs.status?.conditions, RayServiceConditionTypes.upgradeInProgress)) return false;
    if (cluster.metadata.annotations?.[Annotations.kuberayVersion] !== flags.kuberayVersion) return true;
  }
  return compareClusterSpec(rs, cluster) === 'appendedGroups';
}

/**
 * Whether a new pending cluster must be prepared. `pendingServing` is true when the Services already point at
 * the pending cluster (it is about to be promoted).
 */
export function shouldPrepareNewCluster(
  rs: RayService,
  active: RayCluster | undefined,
  pending: RayCluster | undefined,
  pendingServing: boolean,
  flags: Omit<UpgradeFlags, 'kuberayVersion'>,
): boolean {
  if (pendingServing) return false;
  if (isConditionTrue(rs.status?.conditions, RayServiceConditionTypes.rollbackInProgress)) return false;
  if (!active && !pending) return true;
  const current = pending ?? active!;
  if (compareClusterSpec(rs, current) !== 'changed') return false;
  return zeroDowntimeEnabled(rs, flags);
}
