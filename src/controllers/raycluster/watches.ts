import type { Pod, RayCluster } from '../../api/index.ts';
import { label } from '../../builders/raycluster/index.ts';
import { groupOf, type KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import type { ControllerBuilder } from '../../runtime/builder.ts';
import type { SourceThrottle } from '../../runtime/controller.ts';
import { type ChangeEvent, labelsChanged } from '../../runtime/predicates.ts';
import type { CacheReader } from '../../runtime/store.ts';
import { shouldDeletePod } from './pod-health.ts';

/**
 * The Secret informer keeps metadata only (no `data`): the controller needs to know a Secret changed, never its
 * contents. The field selector leaves out service-account token Secrets, which no RayCluster references, and
 * gives this metadata-only informer a scope of its own.
 */
const secretWatchScope = { fieldSelector: 'type!=kubernetes.io/service-account-token' } as const;

function stripSecret(s: KubeObject): KubeObject {
  const { data: _d, stringData: _s, ...rest } = s as KubeObject & { data?: unknown; stringData?: unknown };
  const { managedFields: _m, ...metadata } = rest.metadata as KubeObject['metadata'] & {
    managedFields?: unknown;
  };
  return { ...rest, metadata } as KubeObject;
}

type SecretRef = { valueFrom?: { secretKeyRef?: { name?: string } } } | undefined;

/** The Secrets a cluster names (not owns): `authOptions.secretName` and the Redis username/password refs. */
export function referencedSecrets(rc: RayCluster): string[] {
  const ft = rc.spec.gcsFaultToleranceOptions;
  const ref = (c: SecretRef) => c?.valueFrom?.secretKeyRef?.name;
  return [
    rc.spec.authOptions?.secretName,
    ref(ft?.redisPassword as SecretRef),
    ref(ft?.redisUsername as SecretRef),
  ].filter((n): n is string => !!n);
}

function controllingCluster(obj: KubeObject): { name: string; uid: string } | undefined {
  const r = (obj.metadata.ownerReferences ?? []).find(
    (o) => o.controller === true && o.kind === 'RayCluster' && groupOf(o.apiVersion) === 'ray.io',
  );
  return r ? { name: r.name, uid: r.uid } : undefined;
}

/**
 * What a dependency watch maps an object (a Secret, a PVC) to: the keys of the clusters it matters to. `changed` is
 * told the uid of each, so the reconciler looks the child up again.
 */
type DependencyMapper = (
  obj: KubeObject,
  clusters: CacheReader<RayCluster>,
  changed: (uid: string) => void,
) => string[];

/** A Secret: its controlling cluster (the generated auth Secret) and every cluster in its namespace that names it. */
export const secretToClusters: DependencyMapper = (secret, clusters, changed) => {
  const ns = secret.metadata.namespace ?? '';
  const keys = new Set<string>();
  const owner = controllingCluster(secret);
  if (owner) {
    keys.add(`${ns}/${owner.name}`);
    changed(owner.uid);
  }
  for (const rc of clusters.list({ namespace: ns }))
    if (referencedSecrets(rc).includes(secret.metadata.name ?? '')) {
      keys.add(`${ns}/${rc.metadata.name}`);
      if (rc.metadata.uid) changed(rc.metadata.uid);
    }
  return [...keys];
};

/** A PVC: the cluster it is labelled with (`ray.io/cluster`), owned, or kept under deletionPolicy Retain. */
export const pvcToClusters: DependencyMapper = (pvc, clusters, changed) => {
  const ns = pvc.metadata.namespace ?? '';
  const name = pvc.metadata.labels?.[label.cluster];
  if (!name) return [];
  const uid = clusters.get(ns, name)?.metadata.uid;
  if (uid) changed(uid);
  return [`${ns}/${name}`];
};

/**
 * Watches beyond Pods and Services (KubeRay's Owns(Secret) and Owns(PVC), plus Secrets a cluster only names):
 * a deleted auth Secret or embedded-storage PVC is recreated at once instead of at the next periodic requeue.
 */
export function addDependencyWatches(
  builder: ControllerBuilder,
  clusters: CacheReader<RayCluster>,
  changed: (uid: string) => void,
): ControllerBuilder {
  return builder
    .watches<KubeObject>(Resources.secrets, (s) => secretToClusters(s, clusters, changed), {
      ...secretWatchScope,
      transform: stripSecret,
    })
    .watches<KubeObject>(Resources.persistentVolumeClaims, (p) => pvcToClusters(p, clusters, changed), {
      labelSelector: { matchExpressions: [{ key: label.cluster, operator: 'Exists' }] },
    });
}

/**
 * A worker pod's update that can change nothing of its cluster but the ready and available worker counts (and
 * so, with the last of them, the state): the same labels and phase, not being deleted, and not a pod the
 * reconcile would delete, before or after. Everything a reconcile acts on (a pod to delete or replace, a
 * relabelled pod, the head) still reconciles at once.
 */
export function workerReadinessOnly(e: ChangeEvent<Pod>): boolean {
  if (e.type !== 'update') return false;
  const { old, obj } = e;
  return (
    obj.metadata.labels?.[label.nodeType] === 'worker' &&
    !labelsChanged(e) &&
    old.metadata.deletionTimestamp === undefined &&
    obj.metadata.deletionTimestamp === undefined &&
    old.status?.phase === obj.status?.phase &&
    !shouldDeletePod(old, 'worker').delete &&
    !shouldDeletePod(obj, 'worker').delete
  );
}

/**
 * How often the updates of `workerReadinessOnly` reconcile a cluster: at most once in 500 ms (the first at once,
 * the rest at the window's end). While a scale-up's workers turn ready (100 a second in a 20 x 100 run) every
 * such update reconciled its cluster, about 4,000 reconciles whose count-only status writes were deferred anyway
 * (`countsOnlyWriteIntervalMs`). The cost: in such a burst, a cluster's last worker turning ready reaches its
 * status up to 0.5 s later.
 */
export const workerReadinessThrottle: SourceThrottle<Pod> = {
  windowMs: 500,
  applies: workerReadinessOnly,
};
