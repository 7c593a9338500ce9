import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster, RayJob, RayJobSpec } from '../../api/index.ts';
import {
  addSubmitterSchedulerMetadata,
  buildRayJobPodGroup,
  finishedGangShape,
  rayJobGangShape,
  submitterRequests,
  usesRayJobPodGroup,
} from './batch-scheduler.ts';
import { buildSubmitterJob } from './submitter.ts';

const res = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });

function rayJob(spec: Partial<RayJobSpec> = {}, labels: Record<string, string> = {}): RayJob {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: 'train', namespace: 'ns', uid: 'u1', labels },
    spec: {
      entrypoint: 'python x.py',
      rayClusterSpec: {
        headGroupSpec: {
          rayStartParams: {},
          template: {
            spec: {
              containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0', resources: res('1', '2Gi') }],
            },
          },
        },
        workerGroupSpecs: [
          {
            groupName: 'g',
            replicas: 2,
            minReplicas: 1,
            maxReplicas: 4,
            rayStartParams: {},
            template: { spec: { containers: [{ name: 'w', resources: res('1', '1Gi') }] } },
          },
        ],
      },
      ...spec,
    },
  } as RayJob;
}

test('volcano PodGroup: ray-<rayjob>-pg owned by the RayJob; head + desired workers; submitter resources added, not counted', () => {
  const pg = buildRayJobPodGroup(
    rayJob({}, { 'volcano.sh/queue-name': 'q1', 'ray.io/priority-class-name': 'high' }),
  );
  assert.equal(pg.metadata.name, 'ray-train-pg');
  assert.equal(pg.apiVersion, 'scheduling.volcano.sh/v1beta1');
  assert.deepEqual(
    pg.metadata.ownerReferences.map((o) => [o.kind, o.name, o.controller]),
    [['RayJob', 'train', true]],
  );
  // 1 head + 2 workers; the default submitter (500m / 200Mi requested) adds resources only.
  assert.equal(pg.spec.minMember, 3);
  assert.deepEqual(pg.spec.minResources, { cpu: '3500m', memory: '4296Mi' });
  assert.equal(pg.spec.queue, 'q1');
  assert.equal(pg.spec.priorityClassName, 'high');
});

test('gang shape: autoscaling uses minimum workers; a custom submitter template counts its requests; HTTPMode adds nothing', () => {
  const auto = rayJob();
  auto.spec.rayClusterSpec!.enableInTreeAutoscaling = true;
  assert.equal(rayJobGangShape(auto).minMember, 2);
  const custom = rayJob({
    submitterPodTemplate: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 's', image: 'quay.io/kuberay/submitter:v1.5.1', resources: res('100m', '64Mi') },
        ],
      },
    },
  });
  assert.deepEqual(submitterRequests(custom), { cpu: '100m', memory: '64Mi' });
  assert.deepEqual(rayJobGangShape(custom).minResources, { cpu: '3100m', memory: '4160Mi' });
  assert.deepEqual(submitterRequests(rayJob({ submissionMode: 'HTTPMode' })), {});
  assert.deepEqual(submitterRequests(rayJob({ submissionMode: 'SidecarMode' })), {
    cpu: '500m',
    memory: '200Mi',
  });
});

test('only volcano without clusterSelector gets a RayJob PodGroup', () => {
  assert.equal(usesRayJobPodGroup(rayJob(), 'volcano'), true);
  assert.equal(usesRayJobPodGroup(rayJob({ clusterSelector: { 'ray.io/cluster': 'c' } }), 'volcano'), false);
  for (const s of ['', 'yunikorn', 'kai-scheduler', 'scheduler-plugins'])
    assert.equal(usesRayJobPodGroup(rayJob(), s), false);
});

test('after the job: the live cluster shape without the submitter, or nothing once the cluster is gone', () => {
  const rj = rayJob();
  const cluster = { metadata: { name: 'c', namespace: 'ns' }, spec: rj.spec.rayClusterSpec } as RayCluster;
  assert.deepEqual(finishedGangShape(cluster), { minMember: 3, minResources: { cpu: '3', memory: '4Gi' } });
  assert.deepEqual(finishedGangShape(null), { minMember: 0, minResources: {} });
  const deleting = {
    ...cluster,
    metadata: { ...cluster.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
  };
  assert.deepEqual(finishedGangShape(deleting), { minMember: 0, minResources: {} });
});

const submitter = (rj: RayJob, scheduler: string) =>
  addSubmitterSchedulerMetadata(
    buildSubmitterJob(rj, { jobId: 'train-abcde', dashboardURL: 'svc:8265', loginShell: false }),
    rj,
    scheduler,
  ).spec!.template;

test('the submitter pod joins the batch scheduler: volcano group, queue and priority; yunikorn app and queue; kai queue', () => {
  const labels = {
    'volcano.sh/queue-name': 'q1',
    'ray.io/priority-class-name': 'high',
    'yunikorn.apache.org/app-id': 'app-1',
    'yunikorn.apache.org/queue': 'root.ray',
    'kai.scheduler/queue': 'team-a',
  };
  const v = submitter(rayJob({}, labels), 'volcano');
  assert.equal(v.spec?.schedulerName, 'volcano');
  assert.equal(v.metadata?.annotations?.['scheduling.k8s.io/group-name'], 'ray-train-pg');
  assert.equal(v.metadata?.labels?.['volcano.sh/queue-name'], 'q1');
  assert.equal((v.spec as { priorityClassName?: string }).priorityClassName, 'high');
  assert.equal(v.metadata?.labels?.['ray.io/originated-from-crd'], 'RayJob', 'the controller labels stay');
  const y = submitter(rayJob({}, labels), 'yunikorn');
  assert.equal(y.spec?.schedulerName, 'yunikorn');
  assert.equal(y.metadata?.labels?.applicationId, 'app-1');
  assert.equal(y.metadata?.labels?.queue, 'root.ray');
  const k = submitter(rayJob({}, labels), 'kai-scheduler');
  assert.equal(k.spec?.schedulerName, 'kai-scheduler');
  assert.equal(k.metadata?.labels?.['kai.scheduler/queue'], 'team-a');
  // clusterSelector: no RayJob PodGroup to join, but still the scheduler.
  const sel = submitter(rayJob({ clusterSelector: { 'ray.io/cluster': 'c' } }, labels), 'volcano');
  assert.equal(sel.metadata?.annotations?.['scheduling.k8s.io/group-name'], undefined);
  assert.equal(sel.spec?.schedulerName, 'volcano');
  for (const none of ['', 'scheduler-plugins']) {
    const t = submitter(rayJob({}, labels), none);
    assert.equal(t.spec?.schedulerName, undefined, none);
  }
});
