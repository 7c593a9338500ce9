/**
 * Structural types the RayService builders and controller read and write. Open where Kubernetes has more
 * fields than we read, so a read-modify-write never drops anything.
 * The Kubernetes shapes identical to the RayCluster builders' ones (metadata, owner references, ports, services)
 * come from src/builders/raycluster/types.ts; the rest is narrower or stricter here and stays local.
 * TODO(api): replace with the types exported from src/api once they exist, where they are compatible.
 */

import type { ContainerPort, ObjectMeta, Service, ServicePort } from '../raycluster/types.ts';

export type { ContainerPort, ObjectMeta, Service, ServicePort };

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface Container {
  name: string;
  ports?: ContainerPort[];
  [k: string]: unknown;
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: { containers?: Container[]; [k: string]: unknown };
  [k: string]: unknown;
}

export interface WorkerGroupSpec {
  groupName: string;
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  template?: PodTemplate;
  [k: string]: unknown;
}

export interface RayClusterSpec {
  rayVersion?: string;
  suspend?: boolean;
  enableInTreeAutoscaling?: boolean;
  headGroupSpec: {
    serviceType?: string;
    headService?: Service;
    template?: PodTemplate;
    [k: string]: unknown;
  };
  workerGroupSpecs?: WorkerGroupSpec[];
  [k: string]: unknown;
}

export interface RayCluster {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: RayClusterSpec;
  status?: { conditions?: Condition[]; head?: { podIP?: string; podName?: string }; [k: string]: unknown };
}

export type UpgradeType = 'NewCluster' | 'NewClusterWithIncrementalUpgrade' | 'None';

export interface ClusterUpgradeOptions {
  maxSurgePercent?: number;
  stepSizePercent?: number;
  intervalSeconds?: number;
  gatewayClassName?: string;
}

export interface RayServiceSpec {
  serveConfigV2?: string;
  rayClusterConfig: RayClusterSpec;
  upgradeStrategy?: { type?: string; clusterUpgradeOptions?: ClusterUpgradeOptions };
  rayClusterDeletionDelaySeconds?: number;
  serviceUnhealthySecondThreshold?: number;
  deploymentUnhealthySecondThreshold?: number;
  serveService?: Service;
  excludeHeadPodFromServeSvc?: boolean;
  managedBy?: string;
  suspend?: boolean;
}

export interface ServeDeploymentStatus {
  status?: string;
  message?: string;
}

export interface AppStatus {
  status?: string;
  message?: string;
  serveDeploymentStatuses?: Record<string, ServeDeploymentStatus>;
}

export interface RayServiceStatus {
  rayClusterName?: string;
  rayClusterStatus?: Record<string, unknown>;
  applicationStatuses?: Record<string, AppStatus>;
  targetCapacity?: number;
  trafficRoutedPercent?: number;
  lastTrafficMigratedTime?: string;
}

export interface RayServiceStatuses {
  conditions?: Condition[];
  serviceStatus?: string;
  activeServiceStatus?: RayServiceStatus;
  pendingServiceStatus?: RayServiceStatus;
  numServeEndpoints?: number;
  observedGeneration?: number;
  lastUpdateTime?: string;
}

export interface RayService {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: RayServiceSpec;
  status?: RayServiceStatuses;
}
