import type { Condition, Pod, RayCluster, RayClusterStatus } from '../../api/index.ts';
import { gateEnabled, headServiceSelector } from '../../builders/raycluster/index.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import { metaTime } from '../../lib/clock.ts';
import { copyJson } from '../../lib/copy.ts';
import { errorMessage, KuberayError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ReconcileRequest, ReconcileResult } from '../../runtime/controller.ts';
import { removeCondition, setCondition } from '../common/conditions.ts';
import { managedByOperator } from '../common/managed-by.ts';
import { clusterSelector } from '../common/selectors.ts';
import { executePodPlan, type PodPlanResult } from './act-pods.ts';
import {
  ChildError,
  EnsuredCache,
  reconcileAuthSecret,
  reconcileAutoscalerRbac,
  reconcileBatchScheduling,
  reconcileGcsPvc,
  reconcileIngress,
  reconcileServices,
} from './children.ts';
import type { RayClusterDeps } from './deps.ts';
import { reconcileFinalizer } from './finalizer.ts';
import { invalidClusterMessage } from './messages.ts';
import {
  checkMtlsBeforeCreate,
  MtlsNotReadyError,
  mtlsConditionType,
  mtlsNotReadyReasonName,
  tlsRequiresCertManager,
  tlsWithoutCertManager,
} from './mtls-gate.ts';
import { planPods } from './plan.ts';
import { calculateStatus, onlyReadyCountsChanged, type ReconcileOutcome, statusChanged } from './status.ts';
import { type Invalid, specWarning, validateCluster, validateStatus } from './validation.ts';

/** Our one addition to the status: an invalid spec is reported as a condition, not only as an event. */
const invalidSpecCondition = 'InvalidSpec';

/**
 * How long a reconcile may go on issuing pod writes while other clusters wait for a worker. At the default
 * client rate (100 requests/s) that is about 20 pods, and the waiting cluster's turn comes within ~0.2 s.
 */
const yieldAfterMs = 200;

/**
 * A status write that only moves the ready/available worker counts comes at most this often per cluster (the
 * reconcile requeues for the rest): a scale-up of 100 pods writes a handful of statuses, not one per pod.
 * State, conditions and every other field are written at once.
 */
const countsOnlyWriteIntervalMs = 1000;

/** The reconcile error after the status was written: retried with backoff by the runtime. */
class RayClusterReconcileError extends KuberayError {}

/**
 * The RayCluster reconciler: observe (cache) → desired/plan (pure) → act → status (pure).
 */
export class RayClusterReconciler {
  readonly #deps: RayClusterDeps;
  readonly #ensured: EnsuredCache;
  readonly #podGroups = new Map<string, string>();
  /** Clusters whose pod creation waits for mTLS secrets (the Warning event is sent once per wait). */
  readonly #mtlsWaiting = new Set<string>();
  /** When each cluster's status was last written (by uid), to space out count-only writes. */
  readonly #lastStatusWrite = new Map<string, number>();

  constructor(deps: RayClusterDeps) {
    this.#deps = deps;
    this.#ensured = new EnsuredCache(deps.config.requeueSeconds * 1000);
  }

  /**
   * `othersWaiting` (the controller's queue has keys waiting for a worker) lets a long run of pod writes
   * stop after `yieldAfterMs` and return `{ yielded: true }`, so one big scale-up does not make the other
   * clusters wait for all of it (the fairness goal in docs/performance.md).
   */
  async reconcile(
    req: ReconcileRequest,
    logger: Logger = this.#deps.logger,
    othersWaiting: () => boolean = () => false,
  ): Promise<ReconcileResult> {
    const deps = this.#deps;
    const ns = req.namespace ?? '';
    const cached = deps.clusters.get(ns, req.name);
    if (!cached) {
      deps.expectations.deleteCluster(ns, req.name);
      return {};
    }
    if (!managedByOperator(cached.spec.managedBy)) {
      logger.info('skipping RayCluster managed by another controller', { managedBy: cached.spec.managedBy });
      return {};
    }
    const rc: RayCluster = copyJson(cached);
    rc.spec.headGroupSpec.rayStartParams ??= {};
    for (const g of rc.spec.workerGroupSpecs ?? []) g.rayStartParams ??= {};

    let invalid = validateCluster(rc, deps.config);
    if (!invalid && (await tlsWithoutCertManager(deps, rc)))
      invalid = { reason: 'InvalidRayClusterSpec', message: tlsRequiresCertManager };
    if (invalid) {
      deps.events.record(this.#obj(rc), {
        type: 'Warning',
        reason: invalid.reason,
        action: 'Validate',
        message: invalidClusterMessage(
          invalid.reason === 'InvalidRayClusterMetadata' ? 'metadata' : 'spec',
          rc.metadata.namespace,
          rc.metadata.name,
          invalid.message,
        ),
      });
      await this.#writeInvalidCondition(rc, invalid);
      return {};
    }
    const badStatus = validateStatus(rc);
    if (badStatus) {
      deps.events.record(this.#obj(rc), {
        type: 'Warning',
        reason: badStatus.reason,
        action: 'Validate',
        message: invalidClusterMessage('status', rc.metadata.namespace, rc.metadata.name, badStatus.message),
      });
      return { requeueAfter: 2000 };
    }
    const warning = specWarning(rc);
    if (warning)
      deps.events.record(this.#obj(rc), {
        type: 'Warning',
        reason: 'InvalidRayClusterSpec',
        action: 'Validate',
        message: warning,
      });

    const fin = await reconcileFinalizer(deps, rc);
    if (!fin.continue) return fin.requeueAfterMs ? { requeueAfter: fin.requeueAfterMs } : {};

    let outcome: ReconcileOutcome | undefined;
    let yielded = false;
    let userError: Invalid | undefined;
    let mtlsWait: MtlsNotReadyError | undefined;
    try {
      await reconcileAutoscalerRbac(deps, this.#ensured, rc);
      await reconcileIngress(deps, rc);
      await reconcileAuthSecret(deps, this.#ensured, rc);
      await reconcileServices(deps, rc);
      await reconcileGcsPvc(deps, this.#ensured, rc);
      await reconcileBatchScheduling(deps, this.#podGroups, rc);
      const started = deps.clock.now();
      const pods = await this.#reconcilePods(
        rc,
        () => othersWaiting() && deps.clock.now() - started >= yieldAfterMs,
      );
      outcome = pods.error;
      yielded = pods.yielded === true;
    } catch (e) {
      outcome = { message: errorMessage(e), cause: e };
      if (e instanceof ChildError && e.reason) userError = { reason: e.reason, message: e.message };
      if (e instanceof MtlsNotReadyError) mtlsWait = e;
    }
    await this.#writeInvalidCondition(rc, userError);
    await this.#reportMtlsWait(rc, mtlsWait);
    if (outcome) logger.info('reconcile error', { error: outcome.message });
    // A yielded reconcile comes back at once: its status would be out of date before anyone reads it, so
    // it is written by the reconcile that finishes the writes (as KubeRay writes it after all of them).
    if (yielded && !outcome) return { yielded: true };

    const status = await this.#writeStatus(rc, outcome, logger);
    // Waiting for cert-manager is polled on a short fixed timer, not an ever-growing backoff.
    if (mtlsWait) return { requeueAfter: 2000 };
    if (outcome) throw new RayClusterReconcileError(outcome.message, { cause: outcome.cause });
    if (status.deferredMs !== undefined) return { requeueAfter: status.deferredMs };
    return { requeueAfter: status.written ? 2000 : deps.config.requeueSeconds * 1000 };
  }

  /** Forgets a deleted cluster's in-memory state. */
  forget(ns: string, name: string, uid?: string): void {
    this.#deps.expectations.deleteCluster(ns, name);
    if (uid) {
      this.#ensured.forgetCluster(uid);
      this.#podGroups.delete(uid);
      this.#mtlsWaiting.delete(uid);
      this.#lastStatusWrite.delete(uid);
    }
  }

  /** A watched create-only child (auth Secret, PVC) changed: look it up again on the next reconcile. */
  childChanged(uid: string): void {
    this.#ensured.forgetCluster(uid);
  }

  #obj(rc: RayCluster): KubeObject {
    return { apiVersion: 'ray.io/v1', kind: 'RayCluster', ...rc };
  }

  #clusterPods(rc: RayCluster): Pod[] {
    return this.#deps.pods.list({
      namespace: rc.metadata.namespace ?? '',
      labelSelector: clusterSelector(rc.metadata.name ?? ''),
    });
  }

  async #reconcilePods(rc: RayCluster, shouldYield: () => boolean): Promise<PodPlanResult> {
    const deps = this.#deps;
    const ns = rc.metadata.namespace ?? '';
    const cluster = rc.metadata.name ?? '';
    const present = (n: string, name: string) => deps.pods.get(n, name) !== undefined;
    const phases = planPods({
      rc,
      config: deps.config,
      pods: this.#clusterPods(rc),
      expectationsSatisfied: (group) =>
        deps.expectations.isSatisfied(ns, cluster, group, present, deps.clock.now()),
      randomSuffix: deps.randomSuffix,
    });
    await checkMtlsBeforeCreate(deps, rc, phases);
    return executePodPlan(deps, rc, phases, shouldYield);
  }

  /** Writes the computed status if it changed; a count-only change soon after the last write is deferred. */
  async #writeStatus(
    rc: RayCluster,
    outcome: ReconcileOutcome | undefined,
    logger: Logger,
  ): Promise<{ written: boolean; deferredMs?: number }> {
    const deps = this.#deps;
    const headServices = deps.services.list({
      namespace: rc.metadata.namespace ?? '',
      labelSelector: headServiceSelector(rc.metadata.name ?? ''),
    });
    const computed = calculateStatus({
      rc,
      pods: this.#clusterPods(rc),
      headServices,
      error: outcome,
      now: metaTime(deps.clock.now()),
      conditionsGate: gateEnabled(deps.config, 'RayClusterStatusConditions'),
    });
    if ('error' in computed) {
      logger.info('status not computed', { reason: computed.error });
      return { written: false };
    }
    if (!statusChanged(rc.status, computed.status)) return { written: false };
    const since = deps.clock.now() - (this.#lastStatusWrite.get(rc.metadata.uid ?? '') ?? -Infinity);
    if (since < countsOnlyWriteIntervalMs && onlyReadyCountsChanged(rc.status, computed.status))
      return { written: false, deferredMs: countsOnlyWriteIntervalMs - since };
    await this.#patchStatus(rc, computed.status);
    return { written: true };
  }

  async #patchStatus(rc: RayCluster, status: RayClusterStatus): Promise<void> {
    if (rc.metadata.uid) this.#lastStatusWrite.set(rc.metadata.uid, this.#deps.clock.now());
    await this.#deps.client.patchStatus(
      Resources.rayClusters,
      rc.metadata.namespace,
      rc.metadata.name ?? '',
      { status },
    );
  }

  /**
   * Makes a wait for the mTLS secrets visible: condition MTLSSecretsReady=False (reason MTLSSecretsNotReady,
   * message saying what is missing) and one Warning event per wait; the condition goes once pods may be created.
   */
  async #reportMtlsWait(rc: RayCluster, wait: MtlsNotReadyError | undefined): Promise<void> {
    const uid = rc.metadata.uid ?? '';
    const message = wait ? `${wait.message}: ${wait.detail}` : '';
    if (wait && !this.#mtlsWaiting.has(uid)) {
      this.#mtlsWaiting.add(uid);
      this.#deps.events.record(this.#obj(rc), {
        type: 'Warning',
        reason: mtlsNotReadyReasonName,
        action: 'Create',
        message,
      });
    } else if (!wait) this.#mtlsWaiting.delete(uid);
    await this.#writeCondition(
      rc,
      mtlsConditionType,
      wait && { status: 'False', reason: mtlsNotReadyReasonName, message },
    );
  }

  async #writeInvalidCondition(rc: RayCluster, invalid: Invalid | undefined): Promise<void> {
    await this.#writeCondition(
      rc,
      invalidSpecCondition,
      invalid && { status: 'True', reason: invalid.reason, message: invalid.message },
    );
  }

  /**
   * Sets one condition (or, given none, removes it) and writes the status when the conditions changed; nothing
   * with the RayClusterStatusConditions gate off.
   */
  async #writeCondition(
    rc: RayCluster,
    type: string,
    condition: Pick<Condition, 'status' | 'reason' | 'message'> | undefined,
  ): Promise<void> {
    if (!gateEnabled(this.#deps.config, 'RayClusterStatusConditions')) return;
    const old = rc.status?.conditions ?? [];
    // Every reconcile clears both of its optional conditions: nearly always there is none to clear.
    if (!condition && !old.some((c) => c.type === type)) return;
    const conditions = condition
      ? setCondition(old, { type, ...condition }, metaTime(this.#deps.clock.now()))
      : removeCondition(old, type);
    if (JSON.stringify(conditions) === JSON.stringify(old)) return;
    await this.#patchStatus(rc, { ...rc.status, conditions });
    rc.status = { ...rc.status, conditions };
  }
}
