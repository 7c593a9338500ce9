import {
  EventReasons,
  Finalizers,
  RayServiceConditionReasons,
  RayServiceConditionTypes,
} from '../../api/constants.ts';
import type {
  RayCluster,
  RayService,
  RayServiceStatus,
  RayServiceStatuses,
  Service,
} from '../../api/index.ts';
import { rayServiceHeadServiceName, rayServiceServeServiceName } from '../../builders/rayservice/services.ts';
import type { KubeClient } from '../../k8s/client.ts';
import { Resources } from '../../k8s/resources.ts';
import { type Clock, metaTime, systemClock } from '../../lib/clock.ts';
import { copyJson } from '../../lib/copy.ts';
import { type Logger, nullLogger } from '../../lib/logger.ts';
import { randomSuffix } from '../../lib/name-suffix.ts';
import type { DashboardClientFactory, HttpProxyClientFactory } from '../../ray/factory.ts';
import { hasFinalizer, withFinalizer, withoutFinalizer } from '../../runtime/finalizers.ts';
import { isConditionTrue, setCondition } from '../common/conditions.ts';
import { componentNames, defaultEventRecorder, type EventRecorder } from '../common/events.ts';
import { managedByOperator } from '../common/managed-by.ts';
import { ownedSelector, reconcileClusters } from './cluster-step.ts';
import { DanglingClusters, deletionDelayMs } from './dangling.ts';
import {
  evaluateRollback,
  incrementalPromotion,
  incrementalServeServices,
  reconcileIncremental,
} from './incremental-step.ts';
import { countReadyEndpoints, type RayServiceReader, serverReader } from './kube.ts';
import {
  deletedClusterMessage,
  failedToDeleteClusterMessage,
  initializingTimeoutEventMessage,
  invalidRayServiceMessage,
} from './messages.ts';
import { defaultRayServiceOptions, type RayServiceOptions } from './options.ts';
import { ServeConfigCache } from './serve.ts';
import { reconcileServe, type ServeResult, updateHeadServeLabel } from './serve-step.ts';
import { reconcileServices } from './services-step.ts';
import { calculateConditions, isInitializingTimedOut, promote, statusChanged } from './status.ts';
import { resumeStatus, suspendPhase, suspendProgressStatus, suspendRequestedStatus } from './suspend.ts';
import { isIncrementalUpgrade } from './upgrade.ts';
import { type ValidationFailure, validateRayServiceFull } from './validate.ts';

interface RayServiceReconcilerDeps {
  readonly kube: KubeClient;
  readonly dashboards: DashboardClientFactory;
  readonly proxies: HttpProxyClientFactory;
  readonly options?: Partial<RayServiceOptions>;
  /** Reads; default: the API server. Pass a cache-backed reader in the operator. */
  readonly reader?: RayServiceReader;
  /** Default: a recorder of its own writing as `rayservice-controller`. */
  readonly events?: EventRecorder;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** The 5-character cluster-name suffix; default random lowercase alphanumerics. */
  readonly randomSuffix?: () => string;
}

interface RayServiceReconcileResult {
  readonly requeueAfterMs?: number;
}

const managedByUs = (rs: RayService) => managedByOperator(rs.spec.managedBy);

/** A side's `applicationStatuses` from this pass; none read leaves the field out (Go's nil map, omitempty). */
function setApps(side: RayServiceStatus | undefined, apps: ServeResult['apps']): void {
  if (!side) return;
  if (apps) side.applicationStatuses = apps;
  else delete side.applicationStatuses;
}

/** The RayService reconciler: one pass over one key, in KubeRay's order. */
export class RayServiceReconciler {
  readonly #kube: KubeClient;
  readonly #reader: RayServiceReader;
  readonly #events: EventRecorder;
  readonly #dashboards: DashboardClientFactory;
  readonly #proxies: HttpProxyClientFactory;
  readonly #options: RayServiceOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #random: () => string;
  readonly cache = new ServeConfigCache();
  readonly dangling = new DanglingClusters();

  constructor(deps: RayServiceReconcilerDeps) {
    this.#kube = deps.kube;
    this.#reader = deps.reader ?? serverReader(deps.kube);
    this.#events = deps.events ?? defaultEventRecorder(deps.kube, componentNames.rayService, deps.log);
    this.#dashboards = deps.dashboards;
    this.#proxies = deps.proxies;
    this.#options = { ...defaultRayServiceOptions, ...deps.options };
    this.#clock = deps.clock ?? systemClock;
    this.#log = deps.log ?? nullLogger;
    this.#random = deps.randomSuffix ?? (() => randomSuffix());
  }

  async reconcile(namespace: string, name: string): Promise<RayServiceReconcileResult> {
    const log = this.#log.child({ controller: 'rayservice', namespace, name });
    const rsKey = `${namespace}/${name}`;
    const rs = await this.#reader.getRayService(namespace, name);
    if (!rs) {
      this.cache.prune(rsKey, []);
      return {};
    }
    if (!managedByUs(rs)) return {};
    const requeue = this.#options.requeueMs;
    const names = [
      rs.status?.activeServiceStatus?.rayClusterName,
      rs.status?.pendingServiceStatus?.rayClusterName,
    ].filter((n): n is string => !!n);
    this.cache.prune(rsKey, names);

    const deleting = !!rs.metadata.deletionTimestamp;
    const danglingLeft = await this.#cleanupDangling(rs, names, deleting);
    if (deleting) {
      if (danglingLeft > 0) return { requeueAfterMs: requeue };
      await this.#setFinalizer(rs, false);
      this.cache.prune(rsKey, []);
      return {};
    }
    if (!hasFinalizer(rs, Finalizers.rayService)) {
      await this.#setFinalizer(rs, true);
      return { requeueAfterMs: requeue };
    }

    const invalid =
      validateRayServiceFull(rs, {
        ...this.#options.featureGates,
        RayServiceIncrementalUpgrade: this.#options.incrementalUpgradeGate,
      }) ?? (await this.#checkGatewayApi(rs));
    if (invalid) {
      await this.#failValidation(rs, invalid);
      return {};
    }

    const suspended = await this.#handleSuspend(rs);
    if (suspended) return suspended;

    if (isInitializingTimedOut(rs.status)) return danglingLeft > 0 ? { requeueAfterMs: requeue } : {};

    const status: RayServiceStatuses = copyJson(rs.status ?? {});
    const headName = rayServiceHeadServiceName(name);
    const serveName = rayServiceServeServiceName(rs);
    let head = await this.#reader.getService(namespace, headName);
    let serve = await this.#reader.getService(namespace, serveName);
    const { active, pending, prepared } = await reconcileClusters(
      {
        kube: this.#kube,
        reader: this.#reader,
        events: this.#events,
        options: this.#options,
        randomSuffix: this.#random,
        log,
      },
      rs,
      status,
      { head, serve },
    );

    const labelDeps = {
      reader: this.#reader,
      events: this.#events,
      proxies: this.#proxies,
      log,
      patchPodLabels: (ns: string, pod: string, labels: Record<string, string>) =>
        this.#patchPodLabels(ns, pod, labels),
    };
    const labelChanged = new Set<string>();
    for (const c of [active, pending])
      if (c && (await updateHeadServeLabel(labelDeps, rs, c))) labelChanged.add(c.metadata.name ?? '');

    const serveDeps = {
      reader: this.#reader,
      events: this.#events,
      dashboards: this.#dashboards,
      cache: this.cache,
      clusterDomain: this.#options.clusterDomain,
      clusterStatusConditionsGate: this.#options.clusterStatusConditionsGate,
      log,
    };
    const incremental = isIncrementalUpgrade(rs, this.#options);
    const now = this.#clock.now();
    if (incremental) {
      if (
        isConditionTrue(status.conditions, RayServiceConditionTypes.upgradeInProgress) &&
        !active &&
        pending
      )
        this.#events.record(rs, {
          type: 'Warning',
          reason: EventReasons.rollbackImpossible,
          message: 'The active cluster is gone: cannot roll back',
        });
      else evaluateRollback(rs, status, pending, metaTime(now));
    }
    const rollback =
      incremental && isConditionTrue(status.conditions, RayServiceConditionTypes.rollbackInProgress);
    const upgrading = isConditionTrue(status.conditions, RayServiceConditionTypes.upgradeInProgress);
    let pendingServe: ServeResult | undefined;
    let activeServe: ServeResult | undefined;
    if (pending)
      pendingServe = await reconcileServe(serveDeps, rs, pending, {
        targetCapacity: incremental ? status.pendingServiceStatus?.targetCapacity : undefined,
        skipSubmit: rollback,
        headLabelChanged: labelChanged.has(pending.metadata.name ?? ''),
      });
    if (active && ((!pending && !prepared) || (incremental && pending)))
      activeServe = await reconcileServe(serveDeps, rs, active, {
        targetCapacity: incremental ? status.activeServiceStatus?.targetCapacity : undefined,
        skipSubmit: incremental && upgrading && !!pending && !rollback,
        headLabelChanged: labelChanged.has(active.metadata.name ?? ''),
      });
    // Each side shows the apps read in this pass, as KubeRay's calculateStatus sets them: none when its head is not
    // ready or its Serve step did not run (the active cluster during a blue/green upgrade), never the last RUNNING
    // of a head that is gone.
    setApps(status.pendingServiceStatus, pendingServe?.apps);
    setApps(status.activeServiceStatus, activeServe?.apps);

    if (incremental)
      await reconcileIncremental(
        {
          kube: this.#kube,
          events: this.#events,
          dashboards: this.#dashboards,
          cache: this.cache,
          clusterDomain: this.#options.clusterDomain,
        },
        rs,
        status,
        { active, pending, pendingReady: !!pendingServe?.ready, pendingHeadReady: !!pendingServe?.apps },
        now,
      );
    const target: RayCluster | undefined = incremental
      ? (active ?? (pendingServe?.ready ? pending : undefined))
      : pendingServe?.ready
        ? pending
        : activeServe?.ready
          ? active
          : undefined;
    if (target)
      ({ head, serve } = await reconcileServices(
        { kube: this.#kube, events: this.#events, headClusterIPService: this.#options.headClusterIPService },
        rs,
        target,
        { head, serve },
        !incremental,
      ));

    return this.#finishStatus(rs, status, {
      active,
      pending,
      head,
      serve,
      serveName,
      incremental,
      pendingServeReady: !!pendingServe?.ready,
      pendingHeadReady: !!pendingServe?.apps,
    });
  }

  async #finishStatus(
    rs: RayService,
    working: RayServiceStatuses,
    seen: {
      active?: RayCluster;
      pending?: RayCluster;
      head?: Service;
      serve?: Service;
      serveName: string;
      incremental: boolean;
      pendingServeReady: boolean;
      pendingHeadReady: boolean;
    },
  ): Promise<RayServiceReconcileResult> {
    const ns = rs.metadata.namespace ?? '';
    let status: RayServiceStatuses = { ...working, observedGeneration: rs.metadata.generation };
    if (seen.active && status.activeServiceStatus)
      status.activeServiceStatus.rayClusterStatus = seen.active.status ?? {};
    if (seen.pending && status.pendingServiceStatus)
      status.pendingServiceStatus.rayClusterStatus = seen.pending.status ?? {};
    if (!seen.incremental && seen.head && seen.serve) {
      status = promote(status, {
        headTarget: seen.head.spec?.selector?.['ray.io/cluster'],
        serveTarget: seen.serve.spec?.selector?.['ray.io/cluster'],
      });
      if (status.activeServiceStatus?.rayClusterName !== working.activeServiceStatus?.rayClusterName)
        this.#log.info('promoted pending cluster', {
          namespace: ns,
          name: rs.metadata.name,
          cluster: status.activeServiceStatus?.rayClusterName,
        });
    }
    if (seen.incremental) status = incrementalPromotion(status, seen);
    const serveServices = seen.incremental
      ? incrementalServeServices(status)
      : seen.serve
        ? [seen.serveName]
        : [];
    const slices = [];
    for (const svc of serveServices)
      slices.push(...(await this.#reader.listEndpointSlices(ns, { 'kubernetes.io/service-name': svc })));
    status.numServeEndpoints = countReadyEndpoints(slices);
    const { status: next, timeout } = calculateConditions(rs, status, this.#clock.now());
    if (timeout)
      this.#events.record(rs, {
        type: 'Warning',
        reason: EventReasons.rayServiceInitializingTimeout,
        message: initializingTimeoutEventMessage(timeout.limitMs, timeout.spentMs),
      });
    await this.#writeStatus(rs, next);
    const deadline = this.dangling.nextDeadlineIn(`${ns}/${rs.metadata.name}`, this.#clock.now());
    return { requeueAfterMs: Math.min(this.#options.requeueMs, deadline ?? Number.POSITIVE_INFINITY) };
  }

  /** Incremental upgrades need the Gateway API (discovery; cached by the client). */
  async #checkGatewayApi(rs: RayService): Promise<ValidationFailure | undefined> {
    if (!isIncrementalUpgrade(rs, this.#options)) return undefined;
    const group = 'gateway.networking.k8s.io';
    const ok =
      (await this.#kube.hasResource(group, 'v1', 'gateways')) &&
      (await this.#kube.hasResource(group, 'v1', 'httproutes'));
    return ok
      ? undefined
      : {
          kind: 'spec',
          message:
            'upgradeStrategy.type NewClusterWithIncrementalUpgrade needs the Gateway API (gateway.networking.k8s.io/v1 Gateway and HTTPRoute CRDs), which this cluster does not serve',
        };
  }

  /** Ready=False/ValidationFailed with the message, a Warning event; no requeue (a spec change re-triggers). */
  async #failValidation(rs: RayService, invalid: ValidationFailure): Promise<void> {
    const reasonName =
      invalid.kind === 'metadata'
        ? EventReasons.invalidRayServiceMetadata
        : EventReasons.invalidRayServiceSpec;
    const ref = `${rs.metadata.namespace}/${rs.metadata.name}`;
    this.#events.record(rs, {
      type: 'Warning',
      reason: reasonName,
      message: invalidRayServiceMessage(
        invalid.kind === 'metadata' ? 'metadata' : 'spec',
        ref,
        invalid.message,
      ),
    });
    const gen = rs.metadata.generation;
    const conds = setCondition(
      rs.status?.conditions,
      {
        type: RayServiceConditionTypes.ready,
        status: 'False',
        reason: RayServiceConditionReasons.validationFailed,
        message: invalid.message,
        ...(gen !== undefined ? { observedGeneration: gen } : {}),
      },
      metaTime(this.#clock.now()),
    );
    // serviceStatus follows Ready (Running only when it is True).
    await this.#writeStatus(rs, {
      ...rs.status,
      conditions: conds,
      observedGeneration: gen,
      serviceStatus: '',
    });
  }

  /** Deletes owned clusters that are neither active nor pending once their delay has passed. */
  async #cleanupDangling(rs: RayService, keep: readonly string[], deleting: boolean): Promise<number> {
    const ns = rs.metadata.namespace ?? '';
    const owned = await this.#reader.listRayClusters(ns, ownedSelector(rs));
    const { dangling, deleteNow } = this.dangling.due(
      `${ns}/${rs.metadata.name}`,
      owned.map((c) => c.metadata.name ?? ''),
      keep,
      deleting,
      deletionDelayMs(rs.spec.rayClusterDeletionDelaySeconds),
      this.#clock.now(),
    );
    for (const c of deleteNow) {
      try {
        await this.#kube.delete(Resources.rayClusters, ns, c, { propagationPolicy: 'Background' });
        this.#events.record(rs, {
          type: 'Normal',
          reason: EventReasons.deletedRayCluster,
          message: deletedClusterMessage(`${ns}/${c}`),
        });
      } catch (err) {
        this.#events.record(rs, {
          type: 'Warning',
          reason: EventReasons.failedToDeleteRayCluster,
          message: failedToDeleteClusterMessage(`${ns}/${c}`, err),
        });
        throw err;
      }
    }
    return dangling.length;
  }

  /** Returns a result when the pass must stop here. */
  async #handleSuspend(rs: RayService): Promise<RayServiceReconcileResult | undefined> {
    const now = this.#clock.now();
    switch (suspendPhase(rs)) {
      case 'request':
        await this.#writeStatus(rs, suspendRequestedStatus(rs, now));
        return { requeueAfterMs: this.#options.requeueMs };
      case 'deleting': {
        const remaining = await this.#deleteOwned(rs);
        await this.#writeStatus(rs, suspendProgressStatus(rs, remaining, now));
        return remaining > 0 ? { requeueAfterMs: this.#options.requeueMs } : {};
      }
      case 'suspended':
        return {};
      case 'resume':
        await this.#writeStatus(rs, resumeStatus(rs, now));
        return undefined;
      default:
        return undefined;
    }
  }

  /** Deletes every owned RayCluster and Service; returns how many existed. */
  async #deleteOwned(rs: RayService): Promise<number> {
    const ns = rs.metadata.namespace ?? '';
    const clusters = await this.#reader.listRayClusters(ns, ownedSelector(rs));
    const services = await this.#reader.listServices(ns, ownedSelector(rs));
    for (const c of clusters)
      await this.#kube.delete(Resources.rayClusters, ns, c.metadata.name ?? '', {
        propagationPolicy: 'Background',
      });
    for (const s of services) await this.#kube.delete(Resources.services, ns, s.metadata.name ?? '');
    return clusters.length + services.length;
  }

  async #setFinalizer(rs: RayService, present: boolean): Promise<void> {
    const finalizers = present
      ? withFinalizer(rs, Finalizers.rayService)
      : withoutFinalizer(rs, Finalizers.rayService);
    await this.#kube.update(Resources.rayServices, {
      ...rs,
      metadata: { ...rs.metadata, finalizers },
    });
  }

  async #patchPodLabels(ns: string, pod: string, labels: Record<string, string>): Promise<void> {
    await this.#kube.patch(Resources.pods, ns, pod, { metadata: { labels } });
  }

  /** Writes the status only when it changed by the write rule (better than KubeRay: compared by value). */
  async #writeStatus(rs: RayService, next: RayServiceStatuses): Promise<void> {
    if (!statusChanged(rs.status, next)) return;
    const status = { ...next, lastUpdateTime: metaTime(this.#clock.now()) };
    const written = await this.#kube.updateStatus(Resources.rayServices, {
      ...rs,
      status,
    });
    rs.metadata = { ...rs.metadata, resourceVersion: written.metadata.resourceVersion };
    rs.status = status;
  }
}
