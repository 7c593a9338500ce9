import { EventReasons, Labels } from '../../api/constants.ts';
import type { RayCluster, RayService, RayServiceStatuses, Service } from '../../api/index.ts';
import { buildRayServiceCluster } from '../../builders/rayservice/cluster.ts';
import { serviceTargetCluster } from '../../builders/rayservice/services.ts';
import { isAlreadyExists } from '../../k8s/api-error.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import type { Logger } from '../../lib/logger.ts';
import type { EventRecorder } from '../common/events.ts';
import { recordedWrite } from '../common/events.ts';
import type { RayServiceReader } from './kube.ts';
import {
  createdClusterMessage,
  failedToCreateClusterMessage,
  failedToUpdateClusterMessage,
  updatedClusterMessage,
} from './messages.ts';
import type { RayServiceOptions } from './options.ts';
import { isIncrementalUpgrade, shouldPrepareNewCluster, shouldUpdateCluster } from './upgrade.ts';

interface ClusterStepDeps {
  readonly kube: KubeClient;
  readonly reader: RayServiceReader;
  readonly events: EventRecorder;
  readonly options: RayServiceOptions;
  readonly randomSuffix: () => string;
  readonly log: Logger;
}

interface ClusterStepResult {
  readonly active: RayCluster | undefined;
  /** Undefined in a pass that prepared a new pending name (the cluster is created on the next pass). */
  readonly pending: RayCluster | undefined;
  readonly prepared: boolean;
}

/** True when both Services select `cluster` (it is serving and about to be promoted). */
function servesCluster(
  head: Service | undefined,
  serve: Service | undefined,
  cluster: string | undefined,
): boolean {
  return !!cluster && serviceTargetCluster(head) === cluster && serviceTargetCluster(serve) === cluster;
}

/**
 * Prepare a new pending cluster name, create a named pending cluster that does not exist yet, or update
 * a cluster in place (worker groups appended, operator version changed). Mutates `status` (the working copy).
 */
export async function reconcileClusters(
  deps: ClusterStepDeps,
  rs: RayService,
  status: RayServiceStatuses,
  services: { head: Service | undefined; serve: Service | undefined },
): Promise<ClusterStepResult> {
  const ns = rs.metadata.namespace ?? '';
  const activeName = status.activeServiceStatus?.rayClusterName;
  const pendingName = status.pendingServiceStatus?.rayClusterName;
  const active = activeName ? await deps.reader.getRayCluster(ns, activeName) : undefined;
  let pending = pendingName ? await deps.reader.getRayCluster(ns, pendingName) : undefined;
  const pendingServing = servesCluster(services.head, services.serve, pendingName);
  // A named pending cluster that does not exist yet is created below from the current spec, never renamed.
  const awaitingCreation = !!pendingName && !pending;
  // Incremental mode with both clusters: a spec change is a rollback, never a third cluster.
  const incrementalInFlight = isIncrementalUpgrade(rs, deps.options) && !!active && !!pending;
  if (
    !awaitingCreation &&
    !incrementalInFlight &&
    shouldPrepareNewCluster(rs, active, pending, pendingServing, deps.options)
  ) {
    const name = `${rs.metadata.name}-${deps.randomSuffix()}`;
    status.pendingServiceStatus = { rayClusterName: name };
    if (isIncrementalUpgrade(rs, deps.options)) status.pendingServiceStatus.targetCapacity = active ? 0 : 100;
    deps.log.info('prepared a new pending cluster', { cluster: name, previous: pendingName });
    return { active, pending: undefined, prepared: true };
  }
  if (pendingName && !pending) {
    const built = buildRayServiceCluster(rs, pendingName, {
      kuberayVersion: deps.options.kuberayVersion,
      clearWorkerReplicas: isIncrementalUpgrade(rs, deps.options) && !!active,
    });
    try {
      pending = await deps.kube.create<RayCluster>(Resources.rayClusters, built);
      deps.events.record(rs, {
        type: 'Normal',
        reason: EventReasons.createdRayCluster,
        message: createdClusterMessage(`${ns}/${pendingName}`),
      });
    } catch (err) {
      if (!isAlreadyExists(err)) {
        const msg = failedToCreateClusterMessage(`${ns}/${pendingName}`, err);
        deps.events.record(rs, {
          type: 'Warning',
          reason: EventReasons.failedToCreateRayCluster,
          message: msg,
        });
        throw err;
      }
      // The cache had not seen our own earlier create yet: the cluster is there, go on with it.
      pending = await deps.kube.get<RayCluster>(Resources.rayClusters, ns, pendingName);
    }
  }
  if (active && shouldUpdateCluster(rs, active, 'active', deps.options)) {
    return { active: await updateInPlace(deps, rs, active, 'active'), pending, prepared: false };
  }
  if (pending && shouldUpdateCluster(rs, pending, 'pending', deps.options)) {
    return { active, pending: await updateInPlace(deps, rs, pending, 'pending'), prepared: false };
  }
  return { active, pending, prepared: false };
}

/** Replaces spec, labels and annotations with the goal, keeping the cluster's own spec.suspend. */
async function updateInPlace(
  deps: ClusterStepDeps,
  rs: RayService,
  current: RayCluster,
  side: 'active' | 'pending',
): Promise<RayCluster> {
  const name = current.metadata.name ?? '';
  const ns = current.metadata.namespace ?? '';
  const goal = buildRayServiceCluster(rs, name, { kuberayVersion: deps.options.kuberayVersion });
  const next: RayCluster = {
    ...current,
    metadata: { ...current.metadata, labels: goal.metadata.labels, annotations: goal.metadata.annotations },
    spec: { ...goal.spec, ...(current.spec.suspend !== undefined ? { suspend: current.spec.suspend } : {}) },
  };
  if (next.spec.suspend === undefined) delete next.spec.suspend;
  return recordedWrite(
    deps.events,
    rs,
    () => deps.kube.update<RayCluster>(Resources.rayClusters, next),
    { reason: EventReasons.updatedRayCluster, message: updatedClusterMessage(side, `${ns}/${name}`) },
    {
      reason: EventReasons.failedToUpdateRayCluster,
      message: (err) => failedToUpdateClusterMessage(side, `${ns}/${name}`, err),
    },
  );
}

/** The label selector of everything a RayService owns by origin. */
export function ownedSelector(rs: RayService): Record<string, string> {
  return { [Labels.originatedFromCrName]: rs.metadata.name ?? '', [Labels.originatedFromCrd]: 'RayService' };
}
