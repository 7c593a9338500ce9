import { Kinds, Labels, LabelValues, type RayCluster, type RayJob, type Service } from '../../api/index.ts';
import { identifier } from '../raycluster/names.ts';
import { headServiceSelector } from '../raycluster/services.ts';
import { rayJobHeadServiceName } from './names.ts';
import { rayJobOwnerReference } from './owner.ts';

/**
 * The selector of the RayJob's head Service: KubeRay builds the Service from the cluster's head Service with
 * no extra labels, so it has the head Service's five default keys (cluster, node type, identifier,
 * `app.kubernetes.io/name: kuberay`, `app.kubernetes.io/created-by: kuberay-operator`).
 */
export function rayJobHeadServiceSelector(clusterName: string): Record<string, string> {
  return {
    ...headServiceSelector(clusterName),
    [Labels.appName]: LabelValues.appName,
    [Labels.appCreatedBy]: LabelValues.createdBy,
  };
}

/** Whether an existing RayJob head Service selects exactly what `desired` selects (else it is updated). */
export function sameSelector(existing: Service, desired: Service): boolean {
  const a = existing.spec?.selector ?? {};
  const b = desired.spec?.selector ?? {};
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((k) => a[k] === b[k]);
}

/**
 * The RayJob's own head Service, modelled on the cluster's head Service (ports, type, headless rule) and
 * selecting the cluster's head pod.
 */
export function buildRayJobHeadService(
  rayJob: RayJob,
  cluster: RayCluster,
  clusterHeadService: Service,
): Service {
  const name = rayJob.metadata.name ?? '';
  const clusterName = cluster.metadata.name ?? '';
  const src = clusterHeadService.spec ?? {};
  // As KubeRay: a custom `headService`'s annotations, not the cluster's `headServiceAnnotations` (those are for
  // the cluster's own head Service).
  const annotations = cluster.spec.headGroupSpec.headService?.metadata?.annotations;
  const headless = src.clusterIP === 'None';
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: rayJobHeadServiceName(name),
      namespace: rayJob.metadata.namespace ?? '',
      labels: {
        [Labels.originatedFromCrName]: name,
        [Labels.originatedFromCrd]: Kinds.RayJob,
        [Labels.nodeType]: 'head',
        [Labels.identifier]: identifier(name, 'head'),
      },
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      ownerReferences: [rayJobOwnerReference(rayJob)],
    },
    spec: {
      ...(src.type ? { type: src.type } : {}),
      ...(headless ? { clusterIP: 'None' } : {}),
      ...(src.publishNotReadyAddresses !== undefined
        ? { publishNotReadyAddresses: src.publishNotReadyAddresses }
        : {}),
      ports: (src.ports ?? []).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
        ...(p.protocol ? { protocol: p.protocol } : {}),
        ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
      })),
      selector: rayJobHeadServiceSelector(clusterName),
    },
  };
}
