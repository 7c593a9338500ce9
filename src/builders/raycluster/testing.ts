import type { ContainerPort, RayClusterSpec, WorkerGroupSpec } from '../../api/index.ts';

/**
 * A small RayCluster spec for tests (Ray 2.46.0): a head whose container opens `headPorts`, and one worker group
 * sized by `group`.
 */
export function sampleClusterSpec(
  headPorts: ContainerPort[],
  group: Pick<WorkerGroupSpec, 'groupName' | 'replicas' | 'minReplicas' | 'maxReplicas'>,
): RayClusterSpec {
  return {
    rayVersion: '2.46.0',
    headGroupSpec: {
      rayStartParams: {},
      template: {
        spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.46.0', ports: headPorts }] },
      },
    },
    workerGroupSpecs: [
      {
        ...group,
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-worker', image: 'rayproject/ray:2.46.0' }] } },
      },
    ],
  };
}
