/**
 * `@kuberay-ts/client`: a typed client for KubeRay's `ray.io/v1` kinds (RayCluster, RayJob, RayService,
 * RayCronJob), waits, builders, Ray job submission and KubeRay's API server.
 *
 * @example
 * ```ts
 * import { connect, rayJobManifest } from '@kuberay-ts/client';
 * const client = connect();
 * const job = await client.jobs.create(rayJobManifest({ name: 'hello', entrypoint: 'python -c "print(1)"' }));
 * console.log((await client.waitFor(job, 'succeeded')).status?.jobStatus);
 * client.close();
 * ```
 */
export type {
  HeadGroupSpec,
  RayCluster,
  RayClusterSpec,
  RayClusterStatus,
  WorkerGroupSpec,
} from '../../../src/api/raycluster.ts';
export type { RayCronJob, RayCronJobSpec } from '../../../src/api/raycronjob.ts';
export type { RayJob, RayJobSpec, RayJobStatus } from '../../../src/api/rayjob.ts';
export type { RayService, RayServiceSpec, RayServiceStatus } from '../../../src/api/rayservice.ts';
export type { ClusterAccess } from '../../../src/k8s/kubeconfig.ts';
export * from './apiserver/index.ts';
export * from './builders.ts';
export * from './conditions.ts';
export * from './errors.ts';
export * from './job-submission.ts';
export * from './ray-client.ts';
export * from './resource-client.ts';
export * from './wait.ts';
