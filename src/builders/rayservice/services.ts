import { Labels } from '../../api/constants.ts';
import type { RayCluster, RayService, Service, ServicePort } from '../../api/index.ts';
import { buildHeadService, headContainerPorts } from '../raycluster/services.ts';
import { rayServiceOwnerRef } from './cluster.ts';

interface ServiceBuildOptions {
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
  const ports = headContainerPorts(cluster);
  return new Map(ports.map((p) => [p.name ?? '', p.port]));
}

/**
 * The RayService head Service `<rs>-head-svc`: the RayCluster builders' head Service of `target` (ports,
 * headless by default, the target's head selector), renamed, relabelled and owned by the RayService.
 */
export function buildRayServiceHeadService(
  rs: RayService,
  target: RayCluster,
  opts: ServiceBuildOptions,
): Service {
  const rsName = rs.metadata.name ?? '';
  // As KubeRay: the cluster's `headServiceAnnotations` are for its own head Service only; a custom `headService`
  // still brings its own annotations.
  const base = buildHeadService(
    { ...target, spec: { ...target.spec, headServiceAnnotations: undefined } },
    opts,
  );
  return {
    ...base,
    metadata: {
      name: rayServiceHeadServiceName(rsName),
      namespace: rs.metadata.namespace ?? '',
      labels: {
        [Labels.originatedFromCrName]: rsName,
        [Labels.originatedFromCrd]: 'RayService',
        [Labels.nodeType]: 'head',
        [Labels.identifier]: checkLabel(`${rsName}-head`),
      },
      ...(base.metadata.annotations ? { annotations: base.metadata.annotations } : {}),
      ownerReferences: [rayServiceOwnerRef(rs)],
    },
  };
}

/** Serve ports of the head container: named `serve` or `serve-*`. */
function servePorts(cluster: Pick<RayCluster, 'spec'>): ServicePort[] {
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
        [Labels.originatedFromCrName]: rsName,
        [Labels.originatedFromCrd]: 'RayService',
        [Labels.serve]: `${rsName}-serve`,
      },
      ownerReferences: [rayServiceOwnerRef(rs)],
    },
    spec: {
      ...(custom?.spec ?? {}),
      type: custom?.spec?.type || rs.spec.rayClusterConfig.headGroupSpec.serviceType || 'ClusterIP',
      selector: { [Labels.cluster]: target.metadata.name ?? '', [Labels.serve]: 'true' },
      ports,
    },
  };
}

/** The cluster a Service currently points at (its selector's `ray.io/cluster`). */
export function serviceTargetCluster(svc: Service | undefined): string | undefined {
  return svc?.spec?.selector?.[Labels.cluster];
}
