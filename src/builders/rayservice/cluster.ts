import { Annotations, API_VERSION, Kinds, Labels } from '../../api/constants.ts';
import {
  controllerOwnerReference,
  type OwnerReference,
  type RayCluster,
  type RayService,
} from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { clusterSpecHash } from './hash.ts';

interface ClusterBuildOptions {
  /** The operator version written in `ray.io/kuberay-version` (KubeRay's tree says "nightly"). */
  readonly kuberayVersion: string;
  /** Incremental upgrade with an active cluster: worker replicas are cleared so the cluster autoscales up. */
  readonly clearWorkerReplicas?: boolean;
}

/** The controller owner reference a RayService puts on what it creates. */
export function rayServiceOwnerRef(rs: RayService): OwnerReference {
  return controllerOwnerReference(Kinds.RayService, rs.metadata);
}

/** Labels that mark an object as created for this RayService (also the dangling-cluster list selector). */
function originLabels(rsName: string): Record<string, string> {
  return { [Labels.originatedFromCrName]: rsName, [Labels.originatedFromCrd]: Kinds.RayService };
}

/** The RayCluster a RayService runs its applications on: a copy of `rayClusterConfig` plus origin metadata. */
export function buildRayServiceCluster(
  rs: RayService,
  clusterName: string,
  options: ClusterBuildOptions,
): RayCluster {
  const config = copyJson(rs.spec.rayClusterConfig);
  const annotations: Record<string, string> = {
    ...(rs.metadata.annotations ?? {}),
    [Annotations.hashWithoutReplicasAndWorkersToDelete]: clusterSpecHash(config),
    [Annotations.numWorkerGroups]: String((config.workerGroupSpecs ?? []).length),
    [Annotations.kuberayVersion]: options.kuberayVersion,
  };
  if (options.clearWorkerReplicas) for (const g of config.workerGroupSpecs ?? []) delete g.replicas;
  return {
    apiVersion: API_VERSION,
    kind: 'RayCluster',
    metadata: {
      name: clusterName,
      namespace: rs.metadata.namespace ?? '',
      labels: { ...(rs.metadata.labels ?? {}), ...originLabels(rs.metadata.name ?? '') },
      annotations,
      ownerReferences: [rayServiceOwnerRef(rs)],
    },
    spec: config,
  };
}
