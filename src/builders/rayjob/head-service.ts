import { Kinds, Labels, type RayJob, type Service } from '../../api/index.ts';
import { rayJobHeadServiceName } from './names.ts';
import { rayJobOwnerReference } from './owner.ts';

/**
 * The RayJob's own head Service (§2.5), modelled on the cluster's head Service (ports, type, headless rule) and
 * selecting the cluster's head pod.
 */
export function buildRayJobHeadService(
  rayJob: RayJob,
  clusterName: string,
  clusterHeadService: Service,
): Service {
  const name = rayJob.metadata.name ?? '';
  const src = clusterHeadService.spec ?? {};
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
        [Labels.identifier]: `${name}-head`,
      },
      ...(clusterHeadService.metadata?.annotations
        ? { annotations: { ...clusterHeadService.metadata.annotations } }
        : {}),
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
      selector: {
        [Labels.cluster]: clusterName,
        [Labels.nodeType]: 'head',
        [Labels.identifier]: `${clusterName}-head`,
      },
    },
  };
}
