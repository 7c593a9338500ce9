import type { RayCluster } from '../../api/index.ts';
import {
  buildWasObjects,
  wasMinCount,
  wasPodGroupName,
  wasSkipReason,
} from '../../builders/raycluster/index.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import type { ResourceType } from '../../k8s/resources.ts';
import { hasFinalizer, withoutFinalizer } from '../../runtime/finalizers.ts';
import { ChildError } from './children.ts';
import type { DoBatchSchedulingOnSubmission, RayClusterDeps } from './deps.ts';

/** The Workload-Aware Scheduling API (Kubernetes 1.36, alpha). Absent on older control planes. */
const wasWorkloads: ResourceType = {
  group: 'scheduling.k8s.io',
  version: 'v1alpha2',
  plural: 'workloads',
  kind: 'Workload',
  namespaced: true,
};
const wasPodGroups: ResourceType = { ...wasWorkloads, plural: 'podgroups', kind: 'PodGroup' };
const protectionFinalizer = 'scheduling.k8s.io/podgroup-protection';

/** Event and InvalidSpec reason when the gate is on but the API server has no scheduling.k8s.io/v1alpha2. */
const wasUnavailableReason = 'KubernetesWASUnavailable';

type Gang = { spec?: { schedulingPolicy?: { gang?: { minCount?: number } } } };
type WorkloadSpec = {
  spec?: { podGroupTemplates?: { name?: string; schedulingPolicy?: { gang?: { minCount?: number } } }[] };
};

function controlledBy(o: KubeObject, rc: RayCluster): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === rc.metadata.uid);
}

async function getOwned(deps: RayClusterDeps, type: ResourceType, rc: RayCluster, name: string) {
  const live = await deps.client.getOrUndefined(type, rc.metadata.namespace, name);
  if (live && !controlledBy(live, rc))
    throw new ChildError(
      `${type.kind} ${rc.metadata.namespace}/${name} is not controlled by RayCluster ${rc.metadata.namespace}/${rc.metadata.name}`,
    );
  return live;
}

/** Deletes a PodGroup, first dropping the protection finalizer that would hold it while pods reference it. */
async function deletePodGroup(deps: RayClusterDeps, pg: KubeObject): Promise<void> {
  const ns = pg.metadata.namespace;
  const name = pg.metadata.name ?? '';
  // An update (not a patch), as KubeRay: the chart grants `update` on workloads and podgroups.
  if (hasFinalizer(pg, protectionFinalizer))
    await deps.client.update(wasPodGroups, {
      ...pg,
      metadata: { ...pg.metadata, finalizers: withoutFinalizer(pg, protectionFinalizer) },
    });
  if (!pg.metadata.deletionTimestamp)
    await deps.client.delete(wasPodGroups, ns, name, { preconditions: { uid: pg.metadata.uid ?? '' } });
}

/**
 * KubernetesWAS's DoBatchSchedulingOnSubmission: keeps the cluster's Workload and PodGroup at the desired gang
 * size. Both objects are immutable, so a stale one is deleted (PodGroup first) and the reconcile retries. Without
 * the API on the server the cluster gets a Warning event and the InvalidSpec condition and no pods are created
 * (KubeRay refuses to start instead). `seen` remembers per cluster that the event was already emitted.
 */
export const reconcileKubernetesWas: DoBatchSchedulingOnSubmission = async (deps, seen, rc) => {
  const ns = rc.metadata.namespace;
  const name = rc.metadata.name ?? '';
  const skip = wasSkipReason(rc);
  const available = await deps.client.hasResource('scheduling.k8s.io', 'v1alpha2', 'workloads');
  if (skip !== undefined) {
    if (!available) return;
    const pg = await getOwned(deps, wasPodGroups, rc, wasPodGroupName(name));
    if (pg) {
      await deletePodGroup(deps, pg);
      throw new ChildError(`waiting for PodGroup ${ns}/${pg.metadata.name} to finish deleting`);
    }
    const wl = await getOwned(deps, wasWorkloads, rc, name);
    if (wl && !wl.metadata.deletionTimestamp) await deps.client.delete(wasWorkloads, ns, name);
    return;
  }
  if (!available) {
    const msg = `the KubernetesWAS feature gate is on and RayCluster ${ns}/${name} asks for gang scheduling, but the API server does not serve scheduling.k8s.io/v1alpha2 (Kubernetes 1.36 or later with the workload-aware scheduling API enabled is required); no Pods are created`;
    const key = `${rc.metadata.uid}/was-unavailable`;
    if (!seen.has(key)) {
      deps.events.record(rc, {
        type: 'Warning',
        reason: wasUnavailableReason,
        action: 'Create',
        message: msg,
      });
      seen.set(key, msg);
    }
    throw new ChildError(msg, wasUnavailableReason);
  }
  seen.delete(`${rc.metadata.uid}/was-unavailable`);
  const desired = buildWasObjects(rc);
  const minCount = wasMinCount(rc);
  const wl = await getOwned(deps, wasWorkloads, rc, name);
  if (!wl) {
    await deps.client.create(wasWorkloads, desired.workload);
  } else {
    if (wl.metadata.deletionTimestamp)
      throw new ChildError(`Workload ${ns}/${name} is being deleted, will retry`);
    const templates = (wl as WorkloadSpec).spec?.podGroupTemplates ?? [];
    const stale =
      templates.length !== 1 ||
      templates[0]?.name !== 'cluster' ||
      templates[0]?.schedulingPolicy?.gang?.minCount !== minCount;
    if (stale) {
      const pg = await getOwned(deps, wasPodGroups, rc, wasPodGroupName(name));
      if (pg) await deletePodGroup(deps, pg);
      else
        await deps.client.delete(wasWorkloads, ns, name, { preconditions: { uid: wl.metadata.uid ?? '' } });
      throw new ChildError(`replacing the stale Workload ${ns}/${name} (gang size ${minCount}), will retry`);
    }
  }
  const pg = await getOwned(deps, wasPodGroups, rc, wasPodGroupName(name));
  if (!pg) {
    await deps.client.create(wasPodGroups, desired.podGroup);
    return;
  }
  if (pg.metadata.deletionTimestamp || (pg as Gang).spec?.schedulingPolicy?.gang?.minCount !== minCount) {
    await deletePodGroup(deps, pg);
    throw new ChildError(`replacing the stale PodGroup ${ns}/${pg.metadata.name}, will retry`);
  }
};
