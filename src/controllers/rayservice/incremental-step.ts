import { EventReasons, RayServiceConditionReasons, RayServiceConditionTypes } from '../../api/constants.ts';
import type { ClusterUpgradeOptions, RayCluster, RayService, RayServiceStatuses } from '../../api/index.ts';
import {
  buildClusterServeService,
  buildGateway,
  buildHTTPRoute,
  clusterServeServiceName,
  type Gateway,
  gatewayName,
  gatewayReady,
  type HTTPRoute,
  httpRouteDiffers,
  httpRouteName,
  httpRouteReady,
  routeWeight,
} from '../../builders/rayservice/gateway.ts';
import { clusterSpecHash } from '../../builders/rayservice/hash.ts';
import { serveConfigBody } from '../../builders/rayservice/serve-config.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import { metaTime } from '../../lib/clock.ts';
import type { DashboardClientFactory } from '../../ray/factory.ts';
import { findCondition, isConditionTrue, removeCondition, setCondition } from '../common/conditions.ts';
import type { EventRecorder } from '../common/events.ts';
import {
  capacities,
  capacityStep,
  type IncrementalOptions,
  incrementalUpgradeComplete,
  rollbackComplete,
  trafficStep,
} from './incremental.ts';
import {
  createdGatewayMessage,
  failedToUpdateTargetCapacityMessage,
  updatedGatewayMessage,
  updatedTargetCapacityMessage,
} from './messages.ts';
import type { ServeConfigCache } from './serve.ts';
import { dashboardPort } from './serve-step.ts';

interface IncrementalDeps {
  readonly kube: KubeClient;
  readonly events: EventRecorder;
  readonly dashboards: DashboardClientFactory;
  readonly cache: ServeConfigCache;
  readonly clusterDomain: string;
}

function incrementalOptions(rs: RayService): IncrementalOptions {
  const o: Partial<ClusterUpgradeOptions> = rs.spec.upgradeStrategy?.clusterUpgradeOptions ?? {};
  return {
    maxSurgePercent: o.maxSurgePercent ?? 100,
    stepSizePercent: o.stepSizePercent ?? 0,
    intervalSeconds: o.intervalSeconds ?? 1,
  };
}

/** During an upgrade with both clusters, sets or clears RollbackInProgress from the goal hash. */
export function evaluateRollback(
  rs: RayService,
  status: RayServiceStatuses,
  pending: RayCluster | undefined,
  now: string,
): void {
  if (!isConditionTrue(status.conditions, RayServiceConditionTypes.upgradeInProgress) || !pending) return;
  const goal = clusterSpecHash(rs.spec.rayClusterConfig);
  const pendingHash = pending.metadata.annotations?.['ray.io/hash-without-replicas-and-workers-to-delete'];
  if (goal !== pendingHash) {
    status.conditions = setCondition(
      status.conditions,
      {
        type: RayServiceConditionTypes.rollbackInProgress,
        status: 'True',
        reason: RayServiceConditionReasons.desiredClusterSpecChanged,
        message: 'The goal spec no longer matches the pending cluster; rolling back to the active cluster',
      },
      now,
    );
  } else if (findCondition(status.conditions, RayServiceConditionTypes.rollbackInProgress)) {
    status.conditions = removeCondition(status.conditions, RayServiceConditionTypes.rollbackInProgress);
  }
}

/**
 * Per-cluster serve Services, the Gateway and the HTTPRoute (one traffic step per pass), traffic read
 * back into the status, then one target_capacity step. Mutates `status`.
 */
export async function reconcileIncremental(
  deps: IncrementalDeps,
  rs: RayService,
  status: RayServiceStatuses,
  clusters: {
    active: RayCluster | undefined;
    pending: RayCluster | undefined;
    pendingReady: boolean;
    pendingHeadReady: boolean;
  },
  now: number,
): Promise<void> {
  const ns = rs.metadata.namespace ?? '';
  const rsName = rs.metadata.name ?? '';
  const { active, pending } = clusters;
  for (const c of [active, pending]) {
    if (!c) continue;
    const svc = buildClusterServeService(rs, c);
    if (!(await deps.kube.getOrUndefined(Resources.services, ns, svc.metadata.name ?? '')))
      await deps.kube.create(Resources.services, svc);
  }
  const desiredGw = buildGateway(rs);
  let gw = await deps.kube.getOrUndefined<Gateway>(Resources.gateways, ns, gatewayName(rsName));
  if (!gw) {
    gw = await deps.kube.create<Gateway>(Resources.gateways, desiredGw);
    deps.events.record(rs, {
      type: 'Normal',
      reason: EventReasons.createdGateway,
      message: createdGatewayMessage(`${ns}/${gatewayName(rsName)}`),
    });
  } else if (
    gw.spec.gatewayClassName !== desiredGw.spec.gatewayClassName ||
    JSON.stringify(gw.spec.listeners) !== JSON.stringify(desiredGw.spec.listeners)
  ) {
    gw = await deps.kube.update<Gateway>(Resources.gateways, {
      ...gw,
      spec: { ...gw.spec, ...desiredGw.spec },
    });
    deps.events.record(rs, {
      type: 'Normal',
      reason: EventReasons.updatedGateway,
      message: updatedGatewayMessage(`${ns}/${gatewayName(rsName)}`),
    });
  }
  if (!active) return;
  const rollback = isConditionTrue(status.conditions, RayServiceConditionTypes.rollbackInProgress);
  const weights = pending
    ? trafficStep(status.activeServiceStatus, status.pendingServiceStatus, incrementalOptions(rs), {
        pendingReady: clusters.pendingReady,
        rollback,
        now,
      })
    : { active: 100, pending: 0 };
  const desired = buildHTTPRoute(rs, active, pending, weights);
  let route = await deps.kube.getOrUndefined<HTTPRoute>(Resources.httpRoutes, ns, httpRouteName(rsName));
  if (!route) route = await deps.kube.create<HTTPRoute>(Resources.httpRoutes, desired);
  else if (httpRouteDiffers(route, desired))
    route = await deps.kube.update<HTTPRoute>(Resources.httpRoutes, {
      ...route,
      spec: { ...route.spec, ...desired.spec },
    });

  const ts = metaTime(now);
  for (const [side, cluster] of [
    ['activeServiceStatus', active],
    ['pendingServiceStatus', pending],
  ] as const) {
    const s = status[side];
    if (!s || !cluster) continue;
    const w = routeWeight(route, cluster.metadata.name);
    if (w !== undefined && w !== s.trafficRoutedPercent) {
      s.trafficRoutedPercent = w;
      s.lastTrafficMigratedTime = ts;
    }
  }
  // Like KubeRay, capacity moves only once the pending cluster's dashboard answers (its head is ready).
  if (
    !pending ||
    !clusters.pendingHeadReady ||
    !isConditionTrue(status.conditions, RayServiceConditionTypes.upgradeInProgress)
  )
    return;
  if (!gatewayReady(gw) || !httpRouteReady(route, gatewayName(rsName))) return;
  const step = capacityStep(
    capacities(status.activeServiceStatus, status.pendingServiceStatus),
    incrementalOptions(rs).maxSurgePercent,
    rollback,
  );
  if (step.kind !== 'set') return;
  const cluster = step.side === 'active' ? active : pending;
  const side = step.side === 'active' ? status.activeServiceStatus! : status.pendingServiceStatus!;
  if (side.targetCapacity === step.value) return;
  const name = cluster.metadata.name ?? '';
  const config = deps.cache.get(`${ns}/${rsName}`, name) ?? rs.spec.serveConfigV2 ?? '';
  try {
    const client = await deps.dashboards({
      namespace: ns,
      clusterName: name,
      dashboardUrl: `${name}-head-svc.${ns}.svc.${deps.clusterDomain}:${dashboardPort(cluster)}`,
      headServiceName: `${name}-head-svc`,
    });
    await client.updateDeployments(serveConfigBody(config, step.value));
  } catch (err) {
    deps.events.record(rs, {
      type: 'Warning',
      reason: EventReasons.failedToUpdateTargetCapacity,
      message: failedToUpdateTargetCapacityMessage(`${ns}/${name}`, err),
    });
    throw err;
  }
  side.targetCapacity = step.value;
  deps.events.record(rs, {
    type: 'Normal',
    reason: EventReasons.updatedServeTargetCapacity,
    message: updatedTargetCapacityMessage(`${ns}/${name}`, step.value),
  });
}

/** Names of the serve Services whose endpoints count in incremental mode. */
export function incrementalServeServices(status: RayServiceStatuses): string[] {
  return [status.activeServiceStatus?.rayClusterName, status.pendingServiceStatus?.rayClusterName]
    .filter((n): n is string => !!n)
    .map(clusterServeServiceName);
}

/**
 * Incremental promotion and rollback completion: promote at first creation once the pending
 * cluster serves, or when the upgrade is complete and no rollback runs; finish a rollback by dropping pending.
 */
export function incrementalPromotion(
  status: RayServiceStatuses,
  s: { readonly pendingServeReady: boolean; readonly pendingHeadReady: boolean },
): RayServiceStatuses {
  const pendingName = status.pendingServiceStatus?.rayClusterName;
  if (!pendingName) return status;
  if (isConditionTrue(status.conditions, RayServiceConditionTypes.rollbackInProgress)) {
    if (
      !rollbackComplete(
        capacities(status.activeServiceStatus, status.pendingServiceStatus),
        s.pendingHeadReady,
      )
    )
      return status;
    return {
      ...status,
      pendingServiceStatus: {},
      conditions: removeCondition(status.conditions, RayServiceConditionTypes.rollbackInProgress),
    };
  }
  const first = !status.activeServiceStatus?.rayClusterName;
  if (
    first
      ? s.pendingServeReady
      : incrementalUpgradeComplete(status.activeServiceStatus, status.pendingServiceStatus)
  )
    return { ...status, activeServiceStatus: { ...status.pendingServiceStatus }, pendingServiceStatus: {} };
  return status;
}
