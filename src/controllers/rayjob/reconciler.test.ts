import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { RayJob, RayJobSpec, RayJobStatus } from '../../api/index.ts';
import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { FakeClock } from '../../lib/clock.ts';
import { nullLogger } from '../../lib/logger.ts';
import { FakeDashboard } from '../../ray/fake-dashboard.ts';
import type { ReconcileContext } from '../../runtime/controller.ts';
import { MemoryEventRecorder } from '../common/events.ts';
import { defaultRayJobConfig } from './config.ts';
import type { RayJobDeps } from './deps.ts';
import {
  cluster,
  headService,
  rayJob,
  runningStatus,
  sec,
  submitterJob,
  T0,
} from './fixtures.test-support.ts';
import { RayJobMetrics } from './metrics.ts';
import { createRayJobReconciler } from './reconciler.ts';

/** Every write of the fake client succeeds and returns the object it was given. */
const fakeClient = () => {
  const writes: { method: string; obj: KubeObject }[] = [];
  const write = (method: string) => async (_r: unknown, obj: KubeObject) => {
    writes.push({ method, obj });
    return obj;
  };
  const client = { create: write('create'), update: write('update'), updateStatus: write('updateStatus') };
  return { writes, client: client as unknown as KubeClient };
};

const reconcileContext: ReconcileContext = {
  logger: nullLogger,
  reconcileId: 'r1',
  signal: new AbortController().signal,
  othersWaiting: () => false,
};

/**
 * One pass over a RayJob in Running whose Ray job FAILED and whose submitter Job completed; returns the
 * kuberay_job_execution_duration_seconds line it left behind and the written status.
 */
async function failedPass(spec: Partial<RayJobSpec>, status: RayJobStatus) {
  const job: RayJob = rayJob(spec, status);
  const byName = <T extends { metadata: { name?: string } }>(...objs: T[]) => ({
    get: (_ns: string | undefined, name: string) => objs.find((o) => o.metadata.name === name),
    list: () => objs,
  });
  const dashboard = new FakeDashboard();
  dashboard.setJob('job-abcde', { status: 'FAILED', message: 'exit code 1', end_time: T0 + sec(1) });
  const registry = new Registry();
  const { client, writes } = fakeClient();
  const deps = {
    client,
    rayJobs: byName(job),
    rayClusters: byName(cluster('job-xyzwv')),
    jobs: byName(submitterJob('job', 'Complete', T0 + sec(1))),
    services: byName(headService('job-xyzwv')),
    dashboards: dashboard.factory(),
    events: new MemoryEventRecorder(),
    config: defaultRayJobConfig,
    clock: new FakeClock(T0 + sec(2)),
    logger: nullLogger,
    metrics: new RayJobMetrics(registry, () => [job]),
  } as unknown as RayJobDeps;
  await createRayJobReconciler(deps)({ namespace: 'ns', name: 'job', key: 'ns/job' }, reconcileContext);
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith('kuberay_job_execution_duration_seconds{'));
  const written = writes.filter((w) => w.method === 'updateStatus').at(-1)?.obj as RayJob | undefined;
  return { line, status: written?.status };
}

test('execution-duration metric: retry_count is the failed count before this pass (KubeRay: originalRayJobStatus.Failed)', async () => {
  // First attempt fails and retries: failed 0 -> 1, labelled retry_count="0".
  const first = await failedPass({ backoffLimit: 1 }, runningStatus({ failed: 0 }));
  assert.equal(first.status?.jobDeploymentStatus, 'Retrying');
  assert.equal(first.status?.failed, 1);
  assert.match(first.line ?? '', /job_deployment_status="Retrying",retry_count="0"\}/);
  // Second attempt fails for good: failed 1 -> 2, labelled retry_count="1".
  const second = await failedPass({ backoffLimit: 1 }, runningStatus({ failed: 1 }));
  assert.equal(second.status?.jobDeploymentStatus, 'Failed');
  assert.equal(second.status?.failed, 2);
  assert.match(second.line ?? '', /job_deployment_status="Failed",retry_count="1"\}/);
  // No failed count yet (an older status): 0.
  const noCount = await failedPass({}, runningStatus({ failed: undefined }));
  assert.equal(noCount.status?.jobDeploymentStatus, 'Failed');
  assert.match(noCount.line ?? '', /job_deployment_status="Failed",retry_count="0"\}/);
});
