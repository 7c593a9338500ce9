import type { RayCluster, Service, ServicePort } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import type { BuilderConfig } from './config.ts';
import { appNameValue, createdByValue, defaultPorts, label } from './constants.ts';
import { defaultHeadServiceName, headlessServiceName, identifier, serveServiceName } from './names.ts';
import { ownedMetadata } from './pod.ts';

/** Thrown when a desired Service cannot be built; the reconciler reports it as a failure. */
export class ServiceBuildError extends Error {}

/** The head Service selector, also used to find an existing head Service. */
export function headServiceSelector(cluster: string): Record<string, string> {
  return {
    [label.cluster]: cluster,
    [label.nodeType]: 'head',
    [label.identifier]: identifier(cluster, 'head'),
  };
}

/** Ports of the head Ray container with KubeRay's defaults and names, before sorting. */
export function headContainerPorts(rc: Pick<RayCluster, 'spec'>): ServicePort[] {
  const declared = rc.spec.headGroupSpec.template.spec.containers[0]?.ports ?? [];
  const ports: ServicePort[] =
    declared.length > 0
      ? declared.map((p) => ({ name: p.name || `${p.containerPort}-port`, port: p.containerPort }))
      : [
          { name: 'client', port: defaultPorts.client },
          { name: 'gcs-server', port: defaultPorts.gcs },
          { name: 'dashboard', port: defaultPorts.dashboard },
          { name: 'metrics', port: defaultPorts.metrics },
          { name: 'serve', port: defaultPorts.serve },
        ];
  if (!ports.some((p) => p.name === 'metrics')) ports.push({ name: 'metrics', port: defaultPorts.metrics });
  return ports;
}

function headLabels(rc: RayCluster): Record<string, string> {
  const cluster = rc.metadata.name ?? '';
  return {
    ...headServiceSelector(cluster),
    [label.appName]: rc.spec.headGroupSpec.template.metadata?.labels?.[label.appName] ?? appNameValue,
    [label.createdBy]: createdByValue,
  };
}

/** The head Service. */
export function buildHeadService(
  rc: RayCluster,
  config: Pick<BuilderConfig, 'headClusterIPService'>,
): Service {
  const cluster = rc.metadata.name ?? '';
  const head = rc.spec.headGroupSpec;
  const ports = headContainerPorts(rc).map((p) => ({ ...p, appProtocol: 'tcp' }));
  const selector = headLabels(rc);
  const custom = head.headService;
  if (custom) {
    const svc = copyJson(custom);
    const meta = svc.metadata ?? {};
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        ...meta,
        ...ownedMetadata(
          rc,
          meta.name || defaultHeadServiceName(cluster),
          { ...meta.labels, ...selector },
          { ...meta.annotations, ...rc.spec.headServiceAnnotations },
        ),
      },
      spec: {
        ...svc.spec,
        selector,
        ports: [...(svc.spec?.ports ?? []), ...ports],
        type: svc.spec?.type || head.serviceType || undefined,
      },
    };
  }
  if (ports.length === 0)
    throw new ServiceBuildError('ray head service does not have any ports set up. Service specification: {}');
  ports.sort((a, b) => (a.name! < b.name! ? -1 : a.name! > b.name! ? 1 : 0));
  const type = head.serviceType || undefined;
  const headless = !config.headClusterIPService && (type === undefined || type === 'ClusterIP');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMetadata(
      rc,
      defaultHeadServiceName(cluster),
      { ...selector },
      rc.spec.headServiceAnnotations ? { ...rc.spec.headServiceAnnotations } : undefined,
    ),
    spec: {
      selector,
      ports,
      ...(type ? { type } : {}),
      ...(headless ? { clusterIP: 'None', publishNotReadyAddresses: true } : {}),
    },
  };
}

/** The serve Service, built when the cluster asks for it. */
export function buildServeService(rc: RayCluster): Service {
  const cluster = rc.metadata.name ?? '';
  const ports = headContainerPorts(rc).filter((p) => p.name === 'serve' || p.name?.startsWith('serve-'));
  if (ports.length === 0)
    throw new ServiceBuildError(`no serve port found in the head container of RayCluster ${cluster}`);
  const type = rc.spec.headGroupSpec.serviceType || undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMetadata(rc, serveServiceName(cluster), {
      [label.originatedFromCrName]: cluster,
      [label.originatedFromCrd]: 'RayCluster',
      [label.serve]: `${cluster}-serve`,
    }),
    spec: { selector: { [label.cluster]: cluster }, ports, ...(type ? { type } : {}) },
  };
}

export function needsHeadlessService(rc: RayCluster): boolean {
  return (rc.spec.workerGroupSpecs ?? []).some((g) => (g.numOfHosts ?? 1) > 1);
}

/** The headless worker Service for multi-host groups. */
export function buildHeadlessService(rc: RayCluster): Service {
  const cluster = rc.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ownedMetadata(rc, headlessServiceName(cluster), { [label.headlessWorkerSvc]: cluster }),
    spec: {
      selector: { [label.cluster]: cluster, [label.nodeType]: 'worker' },
      clusterIP: 'None',
      type: 'ClusterIP',
      publishNotReadyAddresses: true,
    },
  };
}
