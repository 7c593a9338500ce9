import type { RayCluster, Service } from '../../api/index.ts';
import {
  annotation,
  autoscalerServiceAccountName,
  autoscalingEnabled,
  buildAuthSecret,
  buildGcsPvc,
  buildHeadlessService,
  buildHeadService,
  buildIngress,
  buildPodGroup,
  buildRole,
  buildRoleBinding,
  buildRoute,
  buildServeService,
  buildServiceAccount,
  gcsFtEnabled,
  gcsPvcName,
  headServiceSelector,
  kubernetesWasScheduler,
  label,
  needsAuthSecret,
  needsHeadlessService,
  rocksDbBackend,
  serveServiceName,
  stableJson,
} from '../../builders/raycluster/index.ts';
import { ApiError } from '../../k8s/api-error.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources, type ResourceType } from '../../k8s/resources.ts';
import { KuberayError } from '../../lib/errors.ts';
import { errorText } from '../common/error-text.ts';
import { recordedWrite } from '../common/events.ts';
import { clusterSelector } from '../common/selectors.ts';
import type { DoBatchSchedulingOnSubmission, RayClusterDeps } from './deps.ts';
import { reconcileKubernetesWas } from './kubernetes-was.ts';
import {
  autoscalerServiceAccountNotFoundMessage,
  type ChildVerb,
  childWriteFailedMessage,
  childWrittenMessage,
} from './messages.ts';

/**
 * A sub-reconciler failed; the message is what KubeRay would return. `reason` is set when only the user can fix
 * it (the reconciler then reports it in the InvalidSpec condition too).
 */
export class ChildError extends KuberayError {
  readonly reason: string | undefined;
  constructor(message: string, reason?: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * Objects that are create-only and not watched (SA, Role, RoleBinding, Secret, PVC): after one successful
 * ensure, they are not looked up again for `recheckMs`, so a steady-state reconcile makes no API call for them.
 */
export class EnsuredCache {
  readonly #seen = new Map<string, number>();
  readonly recheckMs: number;
  constructor(recheckMs: number) {
    this.recheckMs = recheckMs;
  }
  fresh(key: string, now: number): boolean {
    const at = this.#seen.get(key);
    return at !== undefined && now - at < this.recheckMs;
  }
  mark(key: string, now: number): void {
    this.#seen.set(key, now);
  }
  forgetCluster(uid: string): void {
    for (const k of [...this.#seen.keys()]) if (k.startsWith(`${uid}/`)) this.#seen.delete(k);
  }
}

async function createIfMissing(
  deps: RayClusterDeps,
  ensured: EnsuredCache,
  rc: RayCluster,
  type: ResourceType,
  desired: KubeObject,
  events?: { created: string; failed: string },
): Promise<void> {
  const key = `${rc.metadata.uid}/${type.kind}/${desired.metadata.name}`;
  const now = deps.clock.now();
  if (ensured.fresh(key, now)) return;
  const ns = rc.metadata.namespace;
  const existing = await deps.client.getOrUndefined(type, ns, desired.metadata.name ?? '');
  if (!existing)
    await writeChild(
      deps,
      rc,
      'Create',
      type.kind,
      desired.metadata.name ?? '',
      () => deps.client.create(type, desired),
      { ignoreExists: true, reasons: events ? { ok: events.created, failed: events.failed } : false },
    );
  ensured.mark(key, now);
}

/** Sub-reconcilers 1-3: the autoscaler's ServiceAccount, Role and RoleBinding. */
export async function reconcileAutoscalerRbac(
  deps: RayClusterDeps,
  ensured: EnsuredCache,
  rc: RayCluster,
): Promise<void> {
  if (!autoscalingEnabled(rc)) return;
  const saName = autoscalerServiceAccountName(rc);
  const userNamed = !!rc.spec.headGroupSpec.template.spec.serviceAccountName && saName !== rc.metadata.name;
  if (userNamed) {
    const key = `${rc.metadata.uid}/ServiceAccount/${saName}`;
    if (!ensured.fresh(key, deps.clock.now())) {
      const sa = await deps.client.getOrUndefined(Resources.serviceAccounts, rc.metadata.namespace, saName);
      if (!sa) {
        const msg = autoscalerServiceAccountNotFoundMessage(
          rc.metadata.namespace ?? '',
          rc.metadata.name ?? '',
          saName,
        );
        deps.events.record(rc, {
          type: 'Warning',
          reason: 'AutoscalerServiceAccountNotFound',
          action: 'Validate',
          message: msg,
        });
        throw new ChildError(msg, 'AutoscalerServiceAccountNotFound');
      }
      ensured.mark(key, deps.clock.now());
    }
  } else {
    await createIfMissing(deps, ensured, rc, Resources.serviceAccounts, buildServiceAccount(rc), {
      created: 'CreatedServiceAccount',
      failed: 'FailedToCreateServiceAccount',
    });
  }
  await createIfMissing(deps, ensured, rc, Resources.roles, buildRole(rc), {
    created: 'CreatedRole',
    failed: 'FailedToCreateRole',
  });
  await createIfMissing(deps, ensured, rc, Resources.roleBindings, buildRoleBinding(rc), {
    created: 'CreatedRoleBinding',
    failed: 'FailedToCreateRoleBinding',
  });
}

function ingressDiffers(live: KubeObject, desired: KubeObject): boolean {
  const l = live as KubeObject & { spec?: Record<string, unknown> };
  const d = desired as KubeObject & { spec?: Record<string, unknown> };
  return (
    stableJson(l.metadata.labels ?? {}) !== stableJson(d.metadata.labels ?? {}) ||
    stableJson(l.metadata.annotations ?? {}) !== stableJson(d.metadata.annotations ?? {}) ||
    stableJson(l.spec ?? {}) !== stableJson(d.spec ?? {})
  );
}

/** Sub-reconciler 4: the head Ingress, or a Route on OpenShift. */
export async function reconcileIngress(deps: RayClusterDeps, rc: RayCluster): Promise<void> {
  if (rc.spec.headGroupSpec.enableIngress !== true) return;
  const ns = rc.metadata.namespace;
  const openShift =
    deps.config.isOpenShift || (await deps.client.hasResource('route.openshift.io', 'v1', 'routes'));
  if (openShift && !deps.config.useIngressOnOpenShift) {
    const routes = await deps.client.list(Resources.openShiftRoutes, {
      namespace: ns,
      labelSelector: clusterSelector(rc.metadata.name ?? ''),
    });
    if (routes.items.length > 0) return;
    const route = buildRoute(rc);
    await writeChild(deps, rc, 'Create', 'Route', route.metadata.name ?? '', () =>
      deps.client.create(Resources.openShiftRoutes, route),
    );
    return;
  }
  const desired = buildIngress(rc);
  const name = desired.metadata.name ?? '';
  const live = await deps.client.getOrUndefined(Resources.ingresses, ns, name);
  if (!live) {
    await writeChild(deps, rc, 'Create', 'Ingress', name, () =>
      deps.client.create(Resources.ingresses, desired),
    );
    return;
  }
  const owner = (live.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (owner?.uid !== rc.metadata.uid) {
    deps.events.record(rc, {
      type: 'Warning',
      reason: 'FailedToCreateIngress',
      action: 'Create',
      message: `Ingress ${ns}/${name} already exists and is not owned by RayCluster ${rc.metadata.name}`,
    });
    return;
  }
  const spec = desired.spec as Record<string, unknown>;
  const liveSpec = (live as { spec?: Record<string, unknown> }).spec ?? {};
  if (spec.ingressClassName === undefined && liveSpec.ingressClassName !== undefined)
    spec.ingressClassName = liveSpec.ingressClassName;
  if (!ingressDiffers(live, desired)) return;
  const updated = {
    ...live,
    metadata: {
      ...live.metadata,
      labels: desired.metadata.labels,
      annotations: desired.metadata.annotations,
    },
    spec,
  };
  await writeChild(deps, rc, 'Update', 'Ingress', name, () =>
    deps.client.update(Resources.ingresses, updated),
  );
}

/** Sub-reconciler 5: the generated auth Secret, no events. */
export async function reconcileAuthSecret(
  deps: RayClusterDeps,
  ensured: EnsuredCache,
  rc: RayCluster,
): Promise<void> {
  if (!needsAuthSecret(rc)) return;
  await createIfMissing(deps, ensured, rc, Resources.secrets, buildAuthSecret(rc, deps.randomBytes(32)));
}

function createService(
  deps: RayClusterDeps,
  rc: RayCluster,
  svc: Service,
  withEvents: boolean,
  onExists?: (e: ApiError) => Promise<void>,
): Promise<void> {
  return writeChild(
    deps,
    rc,
    'Create',
    'Service',
    svc.metadata.name ?? '',
    () => deps.client.create(Resources.services, svc),
    { ignoreExists: true, ...(onExists ? { onExists } : {}), ...(withEvents ? {} : { reasons: false }) },
  );
}

/**
 * The head Service's create found its name taken. Our own head Service that the cache has not seen yet is fine;
 * any other Service is a user error, reported in the InvalidSpec condition, and no pod is created (KubeRay too
 * creates none, only retrying its Warning): before, the pods came up and the cluster never got a status.
 */
async function checkHeadServiceNameFree(
  deps: RayClusterDeps,
  rc: RayCluster,
  name: string,
  err: ApiError,
): Promise<void> {
  const ns = rc.metadata.namespace ?? '';
  const taken = await deps.client.getOrUndefined<Service>(Resources.services, ns, name);
  const want = headServiceSelector(rc.metadata.name ?? '');
  if (!taken || Object.entries(want).every(([k, v]) => taken.metadata.labels?.[k] === v)) return;
  const labels = Object.entries(want)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const message = `${childWriteFailedMessage('Create', 'Service', ns, name, err)}: it is not this RayCluster's head Service (that one carries ${labels}); delete or rename it, or name the head Service with headGroupSpec.headService.metadata.name`;
  deps.events.record(rc, { type: 'Warning', reason: 'FailedToCreateService', action: 'Create', message });
  throw new ChildError(message, 'FailedToCreateService');
}

/**
 * Writes a child object and records KubeRay's Event for it: `<Created|Updated><Kind>` after the write,
 * `FailedTo<Create|Update><Kind>` with the error when it fails (the error is rethrown). With `ignoreExists`
 * an AlreadyExists answer to a create is passed over (to `onExists`, when given); `reasons: false` records nothing.
 */
async function writeChild(
  deps: RayClusterDeps,
  rc: RayCluster,
  verb: ChildVerb,
  kind: string,
  name: string,
  write: () => Promise<unknown>,
  options: {
    reasons?: { ok: string; failed: string } | false | undefined;
    ignoreExists?: boolean;
    /** With ignoreExists: what to check when the name is taken (it may throw). */
    onExists?: (e: ApiError) => Promise<void>;
  } = {},
): Promise<void> {
  const ns = rc.metadata.namespace;
  const reasons =
    options.reasons === undefined
      ? { ok: `${verb}d${kind}`, failed: `FailedTo${verb}${kind}` }
      : options.reasons;
  try {
    await write();
  } catch (e) {
    if (options.ignoreExists && e instanceof ApiError && e.isAlreadyExists()) return options.onExists?.(e);
    if (reasons)
      deps.events.record(rc, {
        type: 'Warning',
        reason: reasons.failed,
        action: verb,
        message: childWriteFailedMessage(verb, kind, ns, name, e),
      });
    // Ours: the API server refused the object the spec produced (422/400): no retry can succeed until the spec
    // changes, so it is a user error, reported in the InvalidSpec condition (KubeRay only retries, and a
    // missing head Service leaves the RayCluster with no status at all).
    if (e instanceof ApiError && (e.isInvalid() || e.status === 400))
      throw new ChildError(
        childWriteFailedMessage(verb, kind, ns, name, e),
        reasons ? reasons.failed : `FailedTo${verb}${kind}`,
      );
    throw e;
  }
  if (reasons)
    deps.events.record(rc, {
      type: 'Normal',
      reason: reasons.ok,
      action: verb,
      message: childWrittenMessage(verb, kind, ns, name),
    });
}

/** Sub-reconcilers 6-8: head, headless and serve Services; create-only, read from the cache. */
export async function reconcileServices(deps: RayClusterDeps, rc: RayCluster): Promise<void> {
  const ns = rc.metadata.namespace ?? '';
  const cluster = rc.metadata.name ?? '';
  const heads = deps.services.list({ namespace: ns, labelSelector: headServiceSelector(cluster) });
  if (heads.length === 0) {
    const head = buildHeadService(rc, deps.config);
    await createService(deps, rc, head, true, (e) =>
      checkHeadServiceNameFree(deps, rc, head.metadata.name ?? '', e),
    );
  } else if (heads.length > 1)
    throw new ChildError(
      `${heads.length} head services found for RayCluster ${ns}/${cluster}: ${heads.map((s) => s.metadata.name).join(', ')}`,
    );
  if (
    needsHeadlessService(rc) &&
    deps.services.list({ namespace: ns, labelSelector: { [label.headlessWorkerSvc]: cluster } }).length === 0
  )
    await createService(deps, rc, buildHeadlessService(rc), true);
  if (
    rc.metadata.annotations?.[annotation.enableServeService] === 'true' &&
    !deps.services.get(ns, serveServiceName(cluster))
  )
    await createService(deps, rc, buildServeService(rc), false);
}

/** Sub-reconciler 9: the embedded-storage PVC, rocksdb only. */
export async function reconcileGcsPvc(
  deps: RayClusterDeps,
  ensured: EnsuredCache,
  rc: RayCluster,
): Promise<void> {
  if (!gcsFtEnabled(rc) || !rocksDbBackend(rc)) return;
  const ns = rc.metadata.namespace;
  const storage = rc.spec.gcsFaultToleranceOptions?.storage;
  if (storage?.claimName) {
    const pvc = await deps.client.getOrUndefined(Resources.persistentVolumeClaims, ns, storage.claimName);
    if (!pvc)
      deps.events.record(rc, {
        type: 'Warning',
        reason: 'FailedToCreatePVC',
        action: 'Validate',
        message: `PersistentVolumeClaim ${ns}/${storage.claimName} named in gcsFaultToleranceOptions.storage.claimName does not exist`,
      });
    return;
  }
  const desired = buildGcsPvc(rc);
  const name = gcsPvcName(rc.metadata.name ?? '');
  const live = await deps.client.getOrUndefined(Resources.persistentVolumeClaims, ns, name);
  if (!live) {
    await recordedWrite(
      deps.events,
      rc,
      () => deps.client.create(Resources.persistentVolumeClaims, desired),
      { reason: 'CreatedPVC', action: 'Create', message: `Created PersistentVolumeClaim ${ns}/${name}` },
      {
        reason: 'FailedToCreatePVC',
        action: 'Create',
        message: (e) => `Failed to create PersistentVolumeClaim ${ns}/${name}: ${errorText(e)}`,
      },
    );
    return;
  }
  const retain = storage?.deletionPolicy === 'Retain';
  const owned = (live.metadata.ownerReferences ?? []).some((r) => r.uid === rc.metadata.uid);
  if (retain === owned) {
    const refs = retain
      ? (live.metadata.ownerReferences ?? []).filter((r) => r.uid !== rc.metadata.uid)
      : [...(live.metadata.ownerReferences ?? []), ...(desired.metadata.ownerReferences ?? [])];
    await deps.client.patch(Resources.persistentVolumeClaims, ns, name, {
      metadata: { ownerReferences: refs, resourceVersion: live.metadata.resourceVersion },
    });
  }
  const ls = (
    live as {
      spec?: {
        resources?: { requests?: { storage?: string } };
        storageClassName?: string;
        accessModes?: string[];
      };
    }
  ).spec;
  const ds = desired.spec as {
    resources: { requests: { storage: string } };
    storageClassName?: string;
    accessModes: string[];
  };
  if (
    ls?.resources?.requests?.storage !== ds.resources.requests.storage ||
    (ds.storageClassName !== undefined && ls?.storageClassName !== ds.storageClassName) ||
    stableJson(ls?.accessModes ?? []) !== stableJson(ds.accessModes)
  )
    deps.events.record(rc, {
      type: 'Warning',
      reason: 'FailedToCreatePVC',
      action: 'Update',
      message: `PersistentVolumeClaim ${ns}/${name} differs from gcsFaultToleranceOptions.storage; it is left unchanged`,
    });
  void ensured;
}

const podGroupTypes: Readonly<Record<string, ResourceType>> = {
  volcano: Resources.volcanoPodGroups,
  'scheduler-plugins': {
    group: 'scheduling.x-k8s.io',
    version: 'v1alpha1',
    plural: 'podgroups',
    kind: 'PodGroup',
    namespaced: true,
  },
};

/**
 * The configured batch scheduler's DoBatchSchedulingOnSubmission: KubernetesWAS's, or the Volcano or
 * scheduler-plugins PodGroup, applied only when it changed (`applied` holds its last hash per cluster).
 */
export const reconcileBatchScheduling: DoBatchSchedulingOnSubmission = async (deps, applied, rc) => {
  const scheduler = deps.config.batchScheduler;
  if (scheduler === kubernetesWasScheduler) return reconcileKubernetesWas(deps, applied, rc);
  const type = podGroupTypes[scheduler];
  if (!type) return;
  // A RayJob's cluster shares the RayJob's Volcano PodGroup (`ray-<rayjob>-pg`, which also counts the
  // submitter's resources); the RayJob controller owns and sizes it, so the cluster must not overwrite it.
  if (scheduler === 'volcano' && rc.metadata.labels?.['ray.io/originated-from-crd'] === 'RayJob') return;
  const pg = buildPodGroup(rc, scheduler);
  if (!pg) return;
  const key = `${rc.metadata.uid}`;
  const hash = stableJson(pg);
  if (applied.get(key) === hash) return;
  await deps.client.apply(type, pg, { force: true });
  applied.set(key, hash);
};
