import { Labels, RayClusterConditionTypes } from '../../api/constants.ts';
import type { RayCluster } from '../../api/index.ts';
import { Gauge, type Registry } from '../../k8s/prom.ts';
import { findCondition } from '../common/conditions.ts';
import { objectLabels } from '../common/metrics.ts';

/**
 * The RayCluster collector metrics, computed at scrape time from the cached RayClusters so
 * a deleted cluster leaves no stale series. Registered only with --enable-metrics.
 */
export function registerRayClusterMetrics(registry: Registry, source: () => Iterable<RayCluster>): void {
  const provisioned = (rc: RayCluster) =>
    findCondition(rc.status?.conditions, RayClusterConditionTypes.provisioned);
  new Gauge({
    name: 'kuberay_cluster_info',
    help: 'Metadata information about RayCluster custom resources',
    labelNames: ['name', 'namespace', 'uid', 'owner_kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const rc of source()) {
        const owner = rc.metadata.labels?.[Labels.originatedFromCrd];
        this.set(
          { ...objectLabels(rc), owner_kind: owner === 'RayJob' || owner === 'RayService' ? owner : 'None' },
          1,
        );
      }
    },
  });
  new Gauge({
    name: 'kuberay_cluster_condition_provisioned',
    help: 'Indicates whether the RayCluster is provisioned',
    labelNames: ['name', 'namespace', 'uid', 'condition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const rc of source())
        this.set({ ...objectLabels(rc), condition: String(provisioned(rc)?.status === 'True') }, 1);
    },
  });
  new Gauge({
    name: 'kuberay_cluster_provisioned_duration_seconds',
    help: 'The time, from RayCluster creation, for all Ray pods to become ready for the first time',
    labelNames: ['name', 'namespace', 'uid'],
    registers: [registry],
    collect() {
      this.reset();
      for (const rc of source()) {
        const cond = provisioned(rc);
        const created = Date.parse(rc.metadata.creationTimestamp ?? '');
        const at = Date.parse(cond?.lastTransitionTime ?? '');
        if (cond?.status === 'True' && Number.isFinite(created) && Number.isFinite(at)) {
          this.set(objectLabels(rc), Math.max(0, (at - created) / 1000));
        }
      }
    },
  });
}
