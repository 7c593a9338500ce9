import { EventReasons, Labels } from '../../api/constants.ts';
import type { AppStatus, RayCluster, RayService } from '../../api/index.ts';
import { parseYaml } from '../../api/yaml.ts';
import { serveConfigBody } from '../../builders/rayservice/serve-config.ts';
import { headPorts } from '../../builders/rayservice/services.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { DashboardClientFactory, HttpProxyClientFactory } from '../../ray/factory.ts';
import { toApplicationStatuses } from '../../ray/types.ts';
import { findCondition, isConditionTrue } from '../common/conditions.ts';
import type { EventRecorder } from '../common/events.ts';
import { headPodSelector } from '../common/selectors.ts';
import type { Pod, RayServiceReader } from './kube.ts';
import {
  failedToUpdateServeApplicationsMessage,
  failedToUpdateServeLabelMessage,
  updatedServeApplicationsMessage,
  updatedServeLabelMessage,
} from './messages.ts';
import { isServeReady, needsServeSubmit, type ServeConfigCache, toAppStatuses } from './serve.ts';

interface ServeStepDeps {
  readonly reader: RayServiceReader;
  readonly events: EventRecorder;
  readonly dashboards: DashboardClientFactory;
  readonly cache: ServeConfigCache;
  readonly clusterDomain: string;
  readonly clusterStatusConditionsGate: boolean;
  readonly log: Logger;
}

export interface ServeResult {
  /** True when traffic may go to this cluster (see `isTrafficReady`). */
  readonly ready: boolean;
  /** The app statuses read this pass; undefined when the cluster was not reachable yet. */
  readonly apps: Record<string, AppStatus> | undefined;
}

const terminating = (p: Pod) => !!p.metadata.deletionTimestamp;
/** Running and Ready, and not being deleted (the EndpointSlice controller marks a terminating pod not ready). */
const servingPod = (p: Pod) =>
  !terminating(p) && p.status?.phase === 'Running' && isConditionTrue(p.status.conditions, 'Ready');

/**
 * The readiness gate before the dashboard is called: HeadPodReady (gate on), else a Running+Ready head pod.
 * Better than KubeRay: a head pod being deleted is never ready, whatever its Ready condition (it keeps it,
 * and so does the cluster's HeadPodReady, until its probe fails or it is gone). KubeRay still asks its
 * dashboard; once Ray there is shutting down the call fails and ends every pass before the status write, so
 * `Ready` and `numServeEndpoints` keep their old values for the rest of the grace period although the serve
 * Service stopped counting the head. Here the pass goes on and the status follows the Service at once.
 */
async function headReady(deps: ServeStepDeps, cluster: RayCluster): Promise<boolean> {
  const pods = await deps.reader.listPods(
    cluster.metadata.namespace ?? '',
    headPodSelector(cluster.metadata.name ?? ''),
  );
  if (pods.length > 0 && pods.every(terminating)) return false;
  if (deps.clusterStatusConditionsGate)
    return findCondition(cluster.status?.conditions, 'HeadPodReady')?.status === 'True';
  return pods.some(servingPod);
}

/** The application names `serveConfigV2` declares (an unnamed app is `default`). */
export function configuredAppNames(serveConfigV2: string | undefined): string[] {
  try {
    const apps = (parseYaml(serveConfigV2 ?? '') as { applications?: { name?: string }[] } | null)
      ?.applications;
    return Array.isArray(apps) ? apps.map((a) => a?.name || 'default') : [];
  } catch {
    return [];
  }
}

/**
 * Better than KubeRay: traffic may move to a cluster only when every application is RUNNING, every
 * application the current serveConfigV2 declares is among them, and no config was submitted in this pass
 * (the statuses read before a submission describe the previous config).
 */
export function isTrafficReady(
  apps: Record<string, AppStatus>,
  serveConfigV2: string | undefined,
  submitted: boolean,
): boolean {
  if (submitted || !isServeReady(apps)) return false;
  return configuredAppNames(serveConfigV2).every((n) => apps[n] !== undefined);
}

export function dashboardPort(cluster: RayCluster): number {
  return headPorts(cluster).get('dashboard') ?? 8265;
}

/**
 * Better than KubeRay: whether the cluster has a pod the serve Service would count as a ready endpoint
 * (`ray.io/serve=true`, Running and Ready, not being deleted). KubeRay moves the Services to a cluster whose apps are RUNNING even when none of its pods is a
 * serve endpoint yet (worker proxies not passing their probe, the head label not set), which leaves the serve
 * Service empty for a moment: failed requests in a "zero-downtime" upgrade.
 */
export async function hasServeEndpoint(reader: RayServiceReader, cluster: RayCluster): Promise<boolean> {
  const pods = await reader.listPods(cluster.metadata.namespace ?? '', {
    [Labels.cluster]: cluster.metadata.name ?? '',
    [Labels.serve]: 'true',
  });
  return pods.some(servingPod);
}

/**
 * Reads Serve status on one cluster and (re)submits the config when needed.
 * `ready` also needs a serve endpoint pod, and is false in the pass that changed the head's serve label: the
 * EndpointSlice controller may see the label only after a selector switch made in the same pass.
 */
export async function reconcileServe(
  deps: ServeStepDeps,
  rs: RayService,
  cluster: RayCluster,
  options: { targetCapacity?: number; skipSubmit?: boolean; headLabelChanged?: boolean } = {},
): Promise<ServeResult> {
  if (!(await headReady(deps, cluster))) return { ready: false, apps: undefined };
  const ns = cluster.metadata.namespace ?? '';
  const name = cluster.metadata.name ?? '';
  const headService =
    (cluster.status?.head as { serviceName?: string } | undefined)?.serviceName || `${name}-head-svc`;
  const client = await deps.dashboards({
    namespace: ns,
    clusterName: name,
    dashboardUrl: `${headService}.${ns}.svc.${deps.clusterDomain}:${dashboardPort(cluster)}`,
    headServiceName: headService,
  });
  const apps = toAppStatuses(toApplicationStatuses(await client.getServeDetails()));
  const rsKey = `${rs.metadata.namespace}/${rs.metadata.name}`;
  const config = rs.spec.serveConfigV2 ?? '';
  let submitted = false;
  if (
    !options.skipSubmit &&
    needsServeSubmit(deps.cache.get(rsKey, name), Object.keys(apps).length, config)
  ) {
    try {
      await client.updateDeployments(serveConfigBody(config, options.targetCapacity));
    } catch (err) {
      const msg = failedToUpdateServeApplicationsMessage(`${ns}/${name}`, err);
      deps.events.record(rs, {
        type: 'Warning',
        reason: EventReasons.failedToUpdateServeApplications,
        message: msg,
      });
      throw new Error(msg, { cause: err });
    }
    deps.cache.set(rsKey, name, config);
    submitted = true;
    deps.events.record(rs, {
      type: 'Normal',
      reason: EventReasons.updatedServeApplications,
      message: updatedServeApplicationsMessage(`${ns}/${name}`),
    });
    deps.log.info('submitted serve config', { cluster: name });
  }
  const ready =
    isTrafficReady(apps, config, submitted) &&
    !options.headLabelChanged &&
    (await hasServeEndpoint(deps.reader, cluster));
  return { ready, apps };
}

interface HeadLabelDeps {
  readonly reader: RayServiceReader;
  readonly events: EventRecorder;
  readonly proxies: HttpProxyClientFactory;
  readonly patchPodLabels: (namespace: string, name: string, labels: Record<string, string>) => Promise<void>;
  readonly log: Logger;
}

/** The `ray.io/serve` value of a head pod: false when excluded, else whether its Serve proxy is healthy. */
export function headServeLabel(exclude: boolean, healthy: boolean): 'true' | 'false' {
  return !exclude && healthy ? 'true' : 'false';
}

/**
 * Sets the head pod's `ray.io/serve` label from its proxy health. A missing head
 * pod is not an error here (better than KubeRay: the pass goes on and writes its status). Returns whether it
 * changed the label.
 */
export async function updateHeadServeLabel(
  deps: HeadLabelDeps,
  rs: RayService,
  cluster: RayCluster,
): Promise<boolean> {
  const ns = cluster.metadata.namespace ?? '';
  const pods = await deps.reader.listPods(ns, headPodSelector(cluster.metadata.name ?? ''));
  if (pods.length !== 1) {
    if (pods.length > 1)
      throw new Error(`found ${pods.length} head pods for RayCluster ${ns}/${cluster.metadata.name}`);
    return false;
  }
  const pod = pods[0]!;
  let healthy = false;
  if (!rs.spec.excludeHeadPodFromServeSvc && pod.status?.podIP) {
    const port = headPorts(cluster).get('serve') ?? 8000;
    try {
      await deps
        .proxies({ namespace: ns, podName: pod.metadata.name ?? '', podIp: pod.status.podIP, port })
        .checkProxyActorHealth();
      healthy = true;
    } catch (err) {
      deps.log.debug('serve proxy not healthy', { pod: pod.metadata.name, error: errorMessage(err) });
    }
  }
  const value = headServeLabel(!!rs.spec.excludeHeadPodFromServeSvc, healthy);
  if (pod.metadata.labels?.[Labels.serve] === value) return false;
  try {
    await deps.patchPodLabels(ns, pod.metadata.name ?? '', { [Labels.serve]: value });
  } catch (err) {
    deps.events.record(rs, {
      type: 'Warning',
      reason: EventReasons.failedToUpdateHeadPodServeLabel,
      message: failedToUpdateServeLabelMessage(`${ns}/${pod.metadata.name}`, value, err),
    });
    throw err;
  }
  deps.events.record(rs, {
    type: 'Normal',
    reason: EventReasons.updatedHeadPodServeLabel,
    message: updatedServeLabelMessage(`${ns}/${pod.metadata.name}`, value),
  });
  return true;
}
