import type {
  BatchJob,
  PodTemplateSpec,
  RayCluster,
  RayJob,
  RayJobSpec,
  RayJobStatus,
  Service,
} from '../../api/index.ts';
import { sampleClusterSpec } from '../../builders/raycluster/testing.ts';
import { defaultRayJobConfig, type RayJobConfig } from './config.ts';
import { toTime } from './status.ts';
import type { MachineInput, Observed } from './types.ts';

/** Shared fixtures for the RayJob unit tests and integration harness (not a test file itself). */
export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const sec = (n: number) => n * 1000;

/** A small RayCluster spec (head with a dashboard port, one worker group `small` of 3). */
export function sampleRayClusterSpec(): NonNullable<RayJobSpec['rayClusterSpec']> {
  return sampleClusterSpec([{ name: 'dashboard', containerPort: 8265 }], {
    groupName: 'small',
    replicas: 3,
    minReplicas: 0,
    maxReplicas: 5,
  });
}

export function rayJob(spec: Partial<RayJobSpec> = {}, status?: RayJobStatus, name = 'job'): RayJob {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: {
      name,
      namespace: 'ns',
      uid: 'uid-1',
      labels: { team: 'a' },
      annotations: { note: 'x' },
      finalizers: ['ray.io/rayjob-finalizer'],
    },
    spec: {
      entrypoint: 'python /home/ray/samples/sample_code.py',
      submissionMode: 'K8sJobMode',
      rayClusterSpec: sampleRayClusterSpec(),
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

export function cluster(
  name: string,
  state = 'ready',
  extra: Partial<RayCluster['metadata']> = {},
): RayCluster {
  return {
    metadata: { name, namespace: 'ns', ...extra },
    spec: {
      headGroupSpec: { template: { spec: { containers: [{ name: 'ray-head' }] } } },
      workerGroupSpecs: [
        { groupName: 'small', minReplicas: 0, maxReplicas: 5, template: {} as PodTemplateSpec },
      ],
    },
    status: { state, readyWorkerReplicas: 3 },
  };
}

export function headService(clusterName: string): Service {
  return {
    metadata: { name: `${clusterName}-head-svc`, namespace: 'ns' },
    spec: {
      clusterIP: 'None',
      ports: [
        { name: 'dashboard', port: 8265 },
        { name: 'gcs-server', port: 6379 },
      ],
    },
  };
}

export function submitterJob(name: string, condition?: 'Complete' | 'Failed', at = T0): BatchJob {
  return {
    metadata: { name, namespace: 'ns' },
    spec: { template: {} as PodTemplateSpec },
    status: condition
      ? {
          conditions: [
            {
              type: condition,
              status: 'True',
              lastTransitionTime: toTime(at),
              reason: 'BackoffLimitExceeded',
              message: 'boom',
            },
          ],
        }
      : {},
  };
}

export function runningStatus(extra: RayJobStatus = {}): RayJobStatus {
  return {
    jobDeploymentStatus: 'Running',
    jobStatus: 'RUNNING',
    jobId: 'job-abcde',
    rayClusterName: 'job-xyzwv',
    dashboardURL: 'job-xyzwv-head-svc.ns.svc.cluster.local:8265',
    startTime: toTime(T0),
    failed: 0,
    succeeded: 0,
    ...extra,
  };
}

export function input(
  job: RayJob,
  observed: Observed = {},
  now = T0,
  config: Partial<RayJobConfig> = {},
): MachineInput {
  let i = 0;
  const suffixes = ['abcde', 'xyzwv', 'bcdfg', 'hjklm'];
  return {
    rayJob: job,
    observed,
    config: { ...defaultRayJobConfig, ...config },
    now,
    suffix: () => suffixes[i++ % 4]!,
  };
}
