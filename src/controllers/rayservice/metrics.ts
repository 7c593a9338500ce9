import { RayServiceConditionTypes } from '../../api/constants.ts';
import type { RayService } from '../../api/index.ts';
import { Gauge, type Registry } from '../../k8s/prom.ts';
import { isConditionTrue } from '../common/conditions.ts';
import { objectLabels, registerInfoGauge } from '../common/metrics.ts';

/**
 * The RayService collector metrics: computed at scrape time from the cached RayServices, so
 * a deleted RayService leaves no stale series.
 */
export function registerRayServiceMetrics(registry: Registry, source: () => Iterable<RayService>): void {
  const labels = ['name', 'namespace', 'uid'] as const;
  registerInfoGauge(
    registry,
    'kuberay_service_info',
    'Metadata information about RayService custom resources',
    source,
  );
  const conditionGauge = (name: string, help: string, type: string) =>
    new Gauge({
      name,
      help,
      labelNames: [...labels, 'condition'],
      registers: [registry],
      collect() {
        this.reset();
        for (const rs of source())
          this.set(
            { ...objectLabels(rs), condition: String(isConditionTrue(rs.status?.conditions, type)) },
            1,
          );
      },
    });
  conditionGauge(
    'kuberay_service_condition_ready',
    'Describes whether the RayService is ready',
    RayServiceConditionTypes.ready,
  );
  conditionGauge(
    'kuberay_service_condition_upgrade_in_progress',
    'Describes whether the RayService is performing a zero-downtime upgrade',
    RayServiceConditionTypes.upgradeInProgress,
  );
}
