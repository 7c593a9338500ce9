import { rayServiceOwnerRef } from './cluster.ts';
import { label } from './constants.ts';
import type { RayCluster, RayService, Service, ServicePort } from './types.ts';

// TODO(raycluster): share the head-port computation with src/builders/raycluster once its service builder lands.
const defaultPorts: Readonly<Record<string, number>> = {
  client: 10001,
  'gcs-server': 6379,
  dashboard: 8265,
  metrics: 8080,
  serve: 8000,
};

export interface ServiceBuildOptions {
  /** ENABLE_RAY_HEAD_CLUSTER_IP_SERVICE; default false (a ClusterIP head service is headless). */
  readonly headClusterIPService: boolean;
}

/** `<rs>-head-svc`. */
export function rayServiceHeadServiceName(rs: string): string {
  return `${rs}-head-svc`;
}

/** The serve Service name: the custom serveService name, else `<rs>-serve-svc`. */
export function rayServiceServeServiceName(rs: RayService): string {
  return rs.spec.serveService?.metadata?.name || `${rs.metadata.name}-serve-svc`;
}

function checkLabel(s: string): string {
  const out = s.length > 63 ? s.slice(s.length - 63) : s;
  return /^[!"#%&'()*,\-./:;?@[\\\]_{}]/.test(out) ? `r${out.slice(1)}` : out;
}

/** The head Ray container's ports as service ports (name -> port), KubeRay's defaults when it declares none. */
export function headPorts(cluster: Pick<RayCluster, 'spec'>): Map<string, number> {
  const container = cluster.spec.headGroupSpec.template?.spec?.containers?.[0];
  const ports = new Map<string, number>();
  for (const p of container?.ports ?? []) ports.set(p.name || `${p.containerPort}-port`, p.containerPort);
  if (ports.size === 0) for (const [n, v] of Object.entries(defaultPorts)) ports.set(n, v);
  if (!ports.has('metrics')) ports.set('metrics', defaultPorts.metrics!);
  return ports;
}

/** The head-pod selector of a cluster's head Service (the `ray.io/cluster` key is the switch). */
export function headSelector(cluster: RayCluster): Record<string, string> {
  const name = cluster.metadata.name ?? '';
  const templateApp = cluster.spec.headGroupSpec.template?.metadata?.labels?.['app.kubernetes.io/name'];
  return {
    [label.cluster]: name,
    [label.nodeType]: 'head',
    [label.identifier]: checkLabel(`${name}-head`),
    'app.kubernetes.io/name': templateApp || 'kuberay',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  };
}

/** The RayService head Service `<rs>-head-svc`, selecting the head pod of `target`. */
export function buildRayServiceHeadService(
  rs: RayService,
  target: RayCluster,
  opts: ServiceBuildOptions,
): Service {
  const rsName = rs.metadata.name ?? '';
  const head = target.spec.headGroupSpec;
  const custom = head.headService;
  const ports: ServicePort[] = [...headPorts(target)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, port]) => ({ name, port, appProtocol: 'tcp' }));
  const type = custom?.spec?.type || head.serviceType || 'ClusterIP';
  const headless = !custom && !opts.headClusterIPService && (type === 'ClusterIP' || type === '');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: rayServiceHeadServiceName(rsName),
      namespace: rs.metadata.namespace ?? '',
      labels: {
        [label.originatedFromCrName]: rsName,
        [label.originatedFromCrd]: 'RayService',
        [label.nodeType]: 'head',
        [label.identifier]: checkLabel(`${rsName}-head`),
      },
      ...(custom?.metadata?.annotations ? { annotations: { ...custom.metadata.annotations } } : {}),
      ownerReferences: [rayServiceOwnerRef(rs)],
    },
    spec: {
      ...(custom?.spec ?? {}),
      type,
      selector: headSelector(target),
      ports: [...(custom?.spec?.ports ?? []), ...ports],
      ...(headless ? { clusterIP: 'None', publishNotReadyAddresses: true } : {}),
    },
  };
}

/** Serve ports of the head container: named `serve` or `serve-*`. */
export function servePorts(cluster: Pick<RayCluster, 'spec'>): ServicePort[] {
  return [...headPorts(cluster)]
    .filter(([name]) => name === 'serve' || name.startsWith('serve-'))
    .map(([name, port]) => ({ name, port }));
}

/** The serve Service, selecting the serve-ready pods (`ray.io/serve=true`) of `target`. Throws without ports. */
export function buildRayServiceServeService(rs: RayService, target: RayCluster): Service {
  const rsName = rs.metadata.name ?? '';
  const custom = rs.spec.serveService;
  const detected = servePorts(target);
  const customPorts = custom?.spec?.ports ?? [];
  const ports = [...customPorts, ...detected.filter((p) => !customPorts.some((c) => c.name === p.name))];
  if (ports.length === 0)
    throw new Error(
      `serve service of RayService ${rs.metadata.namespace}/${rsName} has no ports: the head container declares no port named "serve" or "serve-*"`,
    );
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      ...(custom?.metadata ?? {}),
      name: rayServiceServeServiceName(rs),
      namespace: rs.metadata.namespace ?? '',
      labels: {
        ...(custom?.metadata?.labels ?? {}),
        [label.originatedFromCrName]: rsName,
        [label.originatedFromCrd]: 'RayService',
        [label.serve]: `${rsName}-serve`,
      },
      ownerReferences: [rayServiceOwnerRef(rs)],
    },
    spec: {
      ...(custom?.spec ?? {}),
      type: custom?.spec?.type || rs.spec.rayClusterConfig.headGroupSpec.serviceType || 'ClusterIP',
      selector: { [label.cluster]: target.metadata.name ?? '', [label.serve]: 'true' },
      ports,
    },
  };
}

/** The cluster a Service currently points at (its selector's `ray.io/cluster`). */
export function serviceTargetCluster(svc: Service | undefined): string | undefined {
  return svc?.spec?.selector?.[label.cluster];
}
