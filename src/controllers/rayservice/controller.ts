import type { RayCluster, RayService, Service } from '../../api/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import { type Clock, systemClock } from '../../lib/clock.ts';
import { copyJson } from '../../lib/copy.ts';
import { type Logger, nullLogger } from '../../lib/logger.ts';
import type { DashboardClientFactory, HttpProxyClientFactory } from '../../ray/factory.ts';
import { ControllerBuilder } from '../../runtime/builder.ts';
import type { Controller } from '../../runtime/controller.ts';
import type { InformerFactory } from '../../runtime/informer-factory.ts';
import type { RuntimeMetrics } from '../../runtime/metrics.ts';
import { specOrMetadataChanged } from '../../runtime/predicates.ts';
import { componentNames, type EventRecorder } from '../common/events.ts';
import { rayPodSelector } from '../common/selectors.ts';
import type { EndpointSlice, Pod, RayServiceReader } from './kube.ts';
import type { RayServiceOptions } from './options.ts';
import { RayServiceReconciler } from './reconciler.ts';

export const rayServiceControllerName = componentNames.rayService;

interface RayServiceControllerOptions {
  readonly client: KubeClient;
  readonly informers: InformerFactory;
  /** Builds a Ray dashboard client per cluster (src/ray: httpDashboardClientFactory, or a fake in tests). */
  readonly dashboards: DashboardClientFactory;
  /** Serve proxy health per head pod (src/ray: httpProxyClientFactory). */
  readonly proxies: HttpProxyClientFactory;
  readonly options?: Partial<RayServiceOptions>;
  readonly events?: EventRecorder;
  /** Keys reconciled at once (--reconcile-concurrency); default 1. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: RuntimeMetrics;
}

/**
 * Builds the RayService controller: For RayService (generation, label, annotation or deletion changes), Owns
 * RayCluster and Service, and watches EndpointSlices of `<rs>-serve-svc` and the Ray head pods. Reads come
 * from the shared informer caches, writes go to the API server. `start()` the informers and the controller.
 */
export function createRayServiceController(o: RayServiceControllerOptions): {
  controller: Controller;
  reconciler: RayServiceReconciler;
} {
  const logger = o.logger ?? nullLogger;
  const clock = o.clock ?? systemClock;
  const services = o.informers.informerFor<RayService>(Resources.rayServices);
  const clusters = o.informers.informerFor<RayCluster>(Resources.rayClusters);
  const svcs = o.informers.informerFor<Service>(Resources.services);
  const pods = o.informers.informerFor<Pod>(Resources.pods, { labelSelector: rayPodSelector });
  const slices = o.informers.informerFor<EndpointSlice>(Resources.endpointSlices);
  const copy = <T>(x: T | undefined) => (x ? copyJson(x) : undefined);
  const reader: RayServiceReader = {
    getRayService: async (ns, name) => copy(services.get(ns, name)),
    getRayCluster: async (ns, name) => copy(clusters.get(ns, name)),
    listRayClusters: async (ns, labels) =>
      clusters.list({ namespace: ns, labelSelector: labels }).map((x) => copyJson(x)),
    getService: async (ns, name) => copy(svcs.get(ns, name)),
    listServices: async (ns, labels) =>
      svcs.list({ namespace: ns, labelSelector: labels }).map((x) => copyJson(x)),
    listPods: async (ns, labels) => pods.list({ namespace: ns, labelSelector: labels }),
    listEndpointSlices: async (ns, labels) => slices.list({ namespace: ns, labelSelector: labels }),
  };
  const reconciler = new RayServiceReconciler({
    kube: o.client,
    reader,
    ...(o.events ? { events: o.events } : {}),
    dashboards: o.dashboards,
    proxies: o.proxies,
    ...(o.options ? { options: o.options } : {}),
    clock,
    log: logger,
  });
  const serveSliceOwner = (obj: KubeObject): string[] => {
    const svc = obj.metadata.labels?.['kubernetes.io/service-name'];
    return svc?.endsWith('-serve-svc')
      ? [`${obj.metadata.namespace}/${svc.slice(0, -'-serve-svc'.length)}`]
      : [];
  };
  const originOwner = (obj: KubeObject): string[] => {
    const l = obj.metadata.labels ?? {};
    return l['ray.io/originated-from-crd'] === 'RayService' && l['ray.io/originated-from-cr-name']
      ? [`${obj.metadata.namespace}/${l['ray.io/originated-from-cr-name']}`]
      : [];
  };
  const headPodOwner = (obj: KubeObject): string[] => {
    const cluster = obj.metadata.labels?.['ray.io/cluster'];
    if (obj.metadata.labels?.['ray.io/node-type'] !== 'head' || !cluster) return [];
    const rc = clusters.get(obj.metadata.namespace, cluster);
    return rc ? originOwner(rc) : [];
  };
  const controller = new ControllerBuilder(rayServiceControllerName, o)
    .for(Resources.rayServices, {
      predicates: [specOrMetadataChanged],
    })
    .owns(Resources.rayClusters)
    .owns(Resources.services)
    .watches(Resources.endpointSlices, serveSliceOwner)
    .watches(Resources.pods, headPodOwner, { labelSelector: rayPodSelector })
    .withConcurrency(o.concurrency ?? 1)
    .build(async (req) => {
      const r = await reconciler.reconcile(req.namespace ?? '', req.name);
      return r.requeueAfterMs !== undefined ? { requeueAfter: r.requeueAfterMs } : undefined;
    });
  return { controller, reconciler };
}
