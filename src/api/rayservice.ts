import { type Static, Type } from '@sinclair/typebox';
import type { ObjectMeta } from './k8s-types.ts';
import { ManagedByRules, RayClusterSpecSchema, RayClusterStatusSchema, ServiceSchema } from './raycluster.ts';
import { Cel, Conditions, Int32, Int64, KindSchema, MapOf, StringEnum, Time } from './schema-helpers.ts';

/** The ray.io RayService type. */

const opt = Type.Optional;

export const ClusterUpgradeOptionsSchema = Type.Object({
  maxSurgePercent: opt(Int32({ default: 100, minimum: 0, maximum: 100 })),
  stepSizePercent: Int32({ minimum: 0, maximum: 100 }),
  intervalSeconds: Int32({ minimum: 1 }),
  gatewayClassName: Type.String(),
});

export const RayServiceUpgradeStrategySchema = Type.Object({
  type: opt(StringEnum(['NewCluster', 'NewClusterWithIncrementalUpgrade', 'None'])),
  clusterUpgradeOptions: opt(ClusterUpgradeOptionsSchema),
});

export const RayServiceSpecSchema = Type.Object({
  rayClusterDeletionDelaySeconds: opt(Int32({ minimum: 0 })),
  serviceUnhealthySecondThreshold: opt(Int32()),
  deploymentUnhealthySecondThreshold: opt(Int32()),
  serveService: opt(ServiceSchema),
  upgradeStrategy: opt(RayServiceUpgradeStrategySchema),
  serveConfigV2: opt(Type.String()),
  rayClusterConfig: RayClusterSpecSchema,
  excludeHeadPodFromServeSvc: opt(Type.Boolean()),
  managedBy: opt(Cel(Type.String(), ManagedByRules)),
  suspend: opt(Type.Boolean()),
});

export const ServeDeploymentStatusSchema = Type.Object({
  status: opt(Type.String()),
  message: opt(Type.String()),
});

export const AppStatusSchema = Type.Object({
  serveDeploymentStatuses: opt(MapOf(ServeDeploymentStatusSchema)),
  status: opt(Type.String()),
  message: opt(Type.String()),
});

export const RayServiceStatusSchema = Type.Object({
  applicationStatuses: opt(MapOf(AppStatusSchema)),
  targetCapacity: opt(Int32()),
  trafficRoutedPercent: opt(Int32()),
  lastTrafficMigratedTime: opt(Time()),
  rayClusterName: opt(Type.String()),
  rayClusterStatus: opt(RayClusterStatusSchema),
});

export const RayServiceStatusesSchema = Type.Object({
  conditions: opt(Conditions()),
  lastUpdateTime: opt(Time()),
  serviceStatus: opt(Type.String()),
  activeServiceStatus: opt(RayServiceStatusSchema),
  pendingServiceStatus: opt(RayServiceStatusSchema),
  numServeEndpoints: opt(Int32()),
  observedGeneration: opt(Int64()),
});

export const RayServiceSchema = KindSchema(RayServiceSpecSchema, RayServiceStatusesSchema);

export type ClusterUpgradeOptions = Static<typeof ClusterUpgradeOptionsSchema>;
export type RayServiceUpgradeStrategy = Static<typeof RayServiceUpgradeStrategySchema>;
export type RayServiceSpec = Static<typeof RayServiceSpecSchema>;
export type ServeDeploymentStatus = Static<typeof ServeDeploymentStatusSchema>;
export type AppStatus = Static<typeof AppStatusSchema>;
/** The status of one side (active or pending) of a RayService. */
export type RayServiceStatus = Static<typeof RayServiceStatusSchema>;
export type RayServiceStatuses = Static<typeof RayServiceStatusesSchema>;
export type RayService = Static<typeof RayServiceSchema> & { metadata: ObjectMeta; spec: RayServiceSpec };
