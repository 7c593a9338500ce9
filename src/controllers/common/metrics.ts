import type { KubeObject } from '../../api/index.ts';
import { Gauge, type Registry } from '../../k8s/prom.ts';

/** The `name`, `namespace` and `uid` labels of an object's series in the kuberay_* metrics. */
export const objectLabels = (o: KubeObject) => ({
  name: o.metadata.name ?? '',
  namespace: o.metadata.namespace ?? '',
  uid: o.metadata.uid ?? '',
});

/**
 * A `kuberay_<kind>_info` gauge: one series (value 1) per object of `source`, computed at scrape time so a
 * deleted object leaves no stale series.
 */
export function registerInfoGauge<T extends KubeObject>(
  registry: Registry,
  name: string,
  help: string,
  source: () => Iterable<T>,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['name', 'namespace', 'uid'],
    registers: [registry],
    collect() {
      this.reset();
      for (const o of source()) this.set(objectLabels(o), 1);
    },
  });
}
