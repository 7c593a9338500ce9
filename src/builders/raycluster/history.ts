import type { Container, EnvVar, HistoryCollectorOptions, RayCluster } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { applyAuth } from './auth.ts';
import type { BuilderConfig } from './config.ts';
import { gateEnabled } from './config.ts';
import { label } from './constants.ts';
import { appendEnvIfAbsent, hasEnv } from './env.ts';
import type { NodeType } from './labels.ts';

/** The history collector sidecar (gate RayClusterHistoryServer). */
export const collectorContainerName = 'ray-history-collector';
export const collectorEventsPort = '8084';

/** The event types Ray exports to the collector unless the user set their own list. */
export const defaultExposableEventTypes = [
  'TASK_DEFINITION_EVENT',
  'TASK_LIFECYCLE_EVENT',
  'ACTOR_TASK_DEFINITION_EVENT',
  'TASK_PROFILE_EVENT',
  'DRIVER_JOB_DEFINITION_EVENT',
  'DRIVER_JOB_LIFECYCLE_EVENT',
  'ACTOR_DEFINITION_EVENT',
  'ACTOR_LIFECYCLE_EVENT',
  'NODE_DEFINITION_EVENT',
  'NODE_LIFECYCLE_EVENT',
].join(',');

/** The collector is injected when the gate is on and `historyServerOptions.collectorOptions` is set. */
export function historyCollectorEnabled(
  rc: RayCluster,
  config: Pick<BuilderConfig, 'featureGates'>,
): boolean {
  return (
    gateEnabled(config, 'RayClusterHistoryServer') && rc.spec.historyServerOptions?.collectorOptions != null
  );
}

/**
 * The collector container: operator env first (pod IP, cluster, role, events port, head FQDN, owner, and on the
 * head the dashboard address unless the user gave one), then the user's env; token auth env last. The shared
 * `ray-logs` mount is added by the pod builder.
 */
export function collectorContainer(rc: RayCluster, nodeType: NodeType, fqdn: string): Container {
  const opts: Partial<HistoryCollectorOptions> = rc.spec.historyServerOptions?.collectorOptions ?? {};
  const labels = rc.metadata.labels ?? {};
  const env: EnvVar[] = [
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'RAY_CLUSTER_NAME', value: rc.metadata.name ?? '' },
    { name: 'RAY_CLUSTER_NAMESPACE', value: rc.metadata.namespace ?? '' },
    { name: 'RAY_ROLE', value: nodeType === 'head' ? 'Head' : 'Worker' },
    { name: 'EVENTS_PORT', value: collectorEventsPort },
  ];
  if (fqdn) env.push({ name: 'FQ_RAY_IP', value: fqdn });
  const ownerKind = labels[label.originatedFromCrd];
  const ownerName = labels[label.originatedFromCrName];
  if (ownerKind) env.push({ name: 'OWNER_KIND', value: ownerKind });
  if (ownerName) env.push({ name: 'OWNER_NAME', value: ownerName });
  if (nodeType === 'head' && !hasEnv(opts.env, 'RAY_DASHBOARD_ADDRESS'))
    env.push({ name: 'RAY_DASHBOARD_ADDRESS', value: 'http://localhost:8265' });
  env.push(...copyJson(opts.env ?? []));
  const c: Container = {
    name: collectorContainerName,
    image: opts.image ?? '',
    imagePullPolicy: opts.imagePullPolicy || 'IfNotPresent',
    env,
    resources: opts.resources
      ? copyJson(opts.resources)
      : { limits: { cpu: '200m', memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
  };
  return applyAuth(c, rc);
}

/** The Ray container's event-export env (each only if absent), appended after the operator's own env. */
export function appendHistoryRayEnv(env: EnvVar[]): EnvVar[] {
  return appendEnvIfAbsent(
    env,
    { name: 'RAY_enable_ray_event', value: 'true' },
    { name: 'RAY_enable_core_worker_ray_event_to_aggregator', value: 'true' },
    {
      name: 'RAY_DASHBOARD_AGGREGATOR_AGENT_EVENTS_EXPORT_ADDR',
      value: `http://localhost:${collectorEventsPort}/v1/events`,
    },
    { name: 'RAY_DASHBOARD_AGGREGATOR_AGENT_EXPOSABLE_EVENT_TYPES', value: defaultExposableEventTypes },
    {
      name: 'RAY_DASHBOARD_AGGREGATOR_AGENT_PUBLISHER_HTTP_ENDPOINT_EXPOSABLE_EVENT_TYPES',
      value: defaultExposableEventTypes,
    },
  );
}
