import { Kinds, Labels } from '../../api/constants.ts';
import {
  type Condition,
  controllerOwnerReference,
  type ObjectMeta,
  type RayCluster,
  type RayService,
  type Service,
} from '../../api/index.ts';
import { rayServiceOwnerRef } from './cluster.ts';
import { buildRayServiceServeService } from './services.ts';

const gatewayApiVersion = 'gateway.networking.k8s.io/v1';

interface BackendRef {
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
  [k: string]: unknown;
}

export interface Gateway {
  apiVersion: string;
  kind: 'Gateway';
  metadata: ObjectMeta;
  spec: {
    gatewayClassName: string;
    listeners: { name: string; protocol: string; port: number }[];
    [k: string]: unknown;
  };
  status?: { conditions?: Condition[] };
  [k: string]: unknown;
}

export interface HTTPRoute {
  apiVersion: string;
  kind: 'HTTPRoute';
  metadata: ObjectMeta;
  spec: {
    hostnames?: string[];
    parentRefs: { name: string; namespace?: string; [k: string]: unknown }[];
    rules: { matches?: unknown[]; filters?: unknown[]; backendRefs: BackendRef[]; [k: string]: unknown }[];
    [k: string]: unknown;
  };
  status?: { parents?: { parentRef: { name: string; namespace?: string }; conditions?: Condition[] }[] };
  [k: string]: unknown;
}

export const gatewayName = (rs: string) => `${rs}-gateway`;
export const httpRouteName = (rs: string) => `${rs}-httproute`;
/** In incremental mode each cluster has its own serve Service, `<cluster>-serve-svc`, owned by the cluster. */
export const clusterServeServiceName = (cluster: string) => `${cluster}-serve-svc`;

/** The Gateway `<rs>-gateway`: one HTTP listener on port 80 of the configured class. */
export function buildGateway(rs: RayService): Gateway {
  return {
    apiVersion: gatewayApiVersion,
    kind: 'Gateway',
    metadata: {
      name: gatewayName(rs.metadata.name ?? ''),
      namespace: rs.metadata.namespace ?? '',
      ownerReferences: [rayServiceOwnerRef(rs)],
    },
    spec: {
      gatewayClassName: rs.spec.upgradeStrategy?.clusterUpgradeOptions?.gatewayClassName ?? '',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
    },
  };
}

/** The serve port of a cluster's head container (`serve`, default 8000). */
function clusterServePort(cluster: RayCluster): number {
  const ports = cluster.spec.headGroupSpec.template?.spec?.containers?.[0]?.ports ?? [];
  return ports.find((p) => p.name === 'serve')?.containerPort ?? 8000;
}

/** The HTTPRoute `<rs>-httproute`: `PathPrefix /` to the active (and pending) per-cluster serve Services. */
export function buildHTTPRoute(
  rs: RayService,
  active: RayCluster,
  pending: RayCluster | undefined,
  weights: { active: number; pending: number },
): HTTPRoute {
  const ns = rs.metadata.namespace ?? '';
  const backend = (c: RayCluster, weight: number): BackendRef => ({
    name: clusterServeServiceName(c.metadata.name ?? ''),
    namespace: ns,
    port: clusterServePort(c),
    weight,
  });
  return {
    apiVersion: gatewayApiVersion,
    kind: 'HTTPRoute',
    metadata: {
      name: httpRouteName(rs.metadata.name ?? ''),
      namespace: ns,
      ownerReferences: [rayServiceOwnerRef(rs)],
    },
    spec: {
      parentRefs: [{ name: gatewayName(rs.metadata.name ?? ''), namespace: ns }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [
            backend(active, weights.active),
            ...(pending ? [backend(pending, weights.pending)] : []),
          ],
        },
      ],
    },
  };
}

/** The per-cluster serve Service, selecting the serve-ready pods of that cluster; owned by the cluster. */
export function buildClusterServeService(rs: RayService, cluster: RayCluster): Service {
  const base = buildRayServiceServeService({ ...rs, spec: { ...rs.spec, serveService: undefined } }, cluster);
  const name = cluster.metadata.name ?? '';
  return {
    ...base,
    metadata: {
      name: clusterServeServiceName(name),
      namespace: rs.metadata.namespace ?? '',
      labels: { ...base.metadata.labels, [Labels.serve]: `${name}-serve`, [Labels.cluster]: name },
      ownerReferences: [controllerOwnerReference(Kinds.RayCluster, cluster.metadata)],
    },
  };
}

const isTrue = (conds: Condition[] | undefined, type: string) =>
  conds?.some((c) => c.type === type && c.status === 'True') ?? false;

export function gatewayReady(gw: Gateway | undefined): boolean {
  return !!gw && isTrue(gw.status?.conditions, 'Accepted') && isTrue(gw.status?.conditions, 'Programmed');
}

export function httpRouteReady(route: HTTPRoute | undefined, gateway: string): boolean {
  const parent = route?.status?.parents?.find((p) => p.parentRef.name === gateway);
  return !!parent && isTrue(parent.conditions, 'Accepted') && isTrue(parent.conditions, 'ResolvedRefs');
}

/** The weight the route gives a cluster (a backend belongs to a cluster when its name contains the cluster name). */
export function routeWeight(route: HTTPRoute | undefined, cluster: string | undefined): number | undefined {
  if (!route || !cluster) return undefined;
  for (const rule of route.spec.rules)
    for (const b of rule.backendRefs ?? []) if (b.name.includes(cluster)) return b.weight ?? 1;
  return undefined;
}

/** Whether the live route differs from the desired one in the fields we own. */
export function httpRouteDiffers(live: HTTPRoute, desired: HTTPRoute): boolean {
  const pick = (r: HTTPRoute) =>
    JSON.stringify({
      hostnames: r.spec.hostnames ?? [],
      parentRefs: r.spec.parentRefs.map((p) => ({ name: p.name, namespace: p.namespace })),
      rules: r.spec.rules.map((x) => ({
        matches: x.matches ?? [],
        filters: x.filters ?? [],
        backends: (x.backendRefs ?? []).map((b) => [b.name, b.namespace, b.port, b.weight ?? 1]),
      })),
    });
  return pick(live) !== pick(desired);
}
