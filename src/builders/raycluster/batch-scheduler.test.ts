import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { RayCluster } from '../../api/index.ts';
import {
  addSchedulerMetadata,
  buildWasObjects,
  kubernetesWasScheduler,
  wasSkipReason,
  yunikornTaskGroupNameAnnotation,
  yunikornTaskGroupsAnnotation,
} from './batch-scheduler.ts';
import { defaultBuilderConfig } from './config.ts';
import { buildHeadPod, buildWorkerPod } from './pod.ts';

function yunikornSample(): RayCluster {
  const rc = parse(
    readFileSync(join(import.meta.dirname, 'testdata/input/ray-cluster.yunikorn-scheduler.yaml'), 'utf8'),
  ) as RayCluster;
  rc.metadata.namespace = 'ns';
  rc.metadata.uid = 'uid-1';
  return rc;
}

test('YuniKorn with the gang label: task-groups JSON on every pod, task-group-name per group, app id and queue', () => {
  const rc = yunikornSample();
  rc.spec.workerGroupSpecs![0]!.template.spec.nodeSelector = { pool: 'a' };
  rc.spec.workerGroupSpecs![0]!.template.spec.tolerations = [{ key: 'k', operator: 'Exists' }];
  rc.spec.workerGroupSpecs![0]!.numOfHosts = 2;
  const head = addSchedulerMetadata(buildHeadPod(rc, defaultBuilderConfig), rc, 'yunikorn', '');
  const worker = addSchedulerMetadata(buildWorkerPod(rc, defaultBuilderConfig, 0), rc, 'yunikorn', 'worker');
  assert.equal(head.spec.schedulerName, 'yunikorn');
  assert.equal(head.metadata.labels?.applicationId, 'test-yunikorn-0');
  assert.equal(head.metadata.labels?.queue, 'root.test');
  assert.equal(head.metadata.annotations?.[yunikornTaskGroupNameAnnotation], 'headgroup');
  assert.equal(worker.metadata.annotations?.[yunikornTaskGroupNameAnnotation], 'worker');
  const groups = JSON.parse(head.metadata.annotations?.[yunikornTaskGroupsAnnotation] ?? '');
  assert.deepEqual(groups, [
    { minResource: { cpu: '1', memory: '2Gi' }, name: 'headgroup', minMember: 1 },
    {
      minResource: { cpu: '1', memory: '1Gi' },
      nodeSelector: { pool: 'a' },
      name: 'worker',
      tolerations: [{ key: 'k', operator: 'Exists' }],
      minMember: 4,
    },
  ]);
  assert.equal(
    worker.metadata.annotations?.[yunikornTaskGroupsAnnotation],
    head.metadata.annotations?.[yunikornTaskGroupsAnnotation],
  );
});

test('YuniKorn without the gang label: labels and scheduler name only', () => {
  const rc = yunikornSample();
  delete rc.metadata.labels!['ray.io/gang-scheduling-enabled'];
  const pod = addSchedulerMetadata(buildHeadPod(rc, defaultBuilderConfig), rc, 'yunikorn', '');
  assert.equal(pod.spec.schedulerName, 'yunikorn');
  assert.equal(pod.metadata.annotations?.[yunikornTaskGroupsAnnotation], undefined);
  assert.equal(pod.metadata.annotations?.[yunikornTaskGroupNameAnnotation], undefined);
});

test('KubernetesWAS: Workload and PodGroup sized head + desired workers, pods name the PodGroup', () => {
  const rc = yunikornSample();
  rc.metadata.name = 'c1';
  rc.spec.workerGroupSpecs![0]!.numOfHosts = 2;
  const { workload, podGroup } = buildWasObjects(rc);
  assert.equal(workload.apiVersion, 'scheduling.k8s.io/v1alpha2');
  assert.equal(workload.metadata.name, 'c1');
  assert.deepEqual(workload.spec, {
    controllerRef: { apiGroup: 'ray.io', kind: 'RayCluster', name: 'c1' },
    podGroupTemplates: [{ name: 'cluster', schedulingPolicy: { gang: { minCount: 5 } } }],
  });
  assert.equal(podGroup.metadata.name, 'c1-cluster');
  assert.deepEqual(podGroup.spec, {
    podGroupTemplateRef: { workload: { workloadName: 'c1', podGroupTemplateName: 'cluster' } },
    schedulingPolicy: { gang: { minCount: 5 } },
  });
  assert.equal(podGroup.metadata.ownerReferences?.[0]?.uid, 'uid-1');
  const pod = addSchedulerMetadata(
    buildWorkerPod(rc, defaultBuilderConfig, 0),
    rc,
    kubernetesWasScheduler,
    'worker',
  );
  assert.equal(pod.spec.schedulerName, 'default-scheduler');
  assert.deepEqual(pod.spec.schedulingGroup, { podGroupName: 'c1-cluster' });
});

test('KubernetesWAS skips clusters without the gang label, with it set to false, or with the autoscaler', () => {
  const rc = yunikornSample();
  assert.equal(wasSkipReason(rc), undefined);
  rc.metadata.labels!['ray.io/gang-scheduling-enabled'] = 'False';
  assert.match(wasSkipReason(rc) ?? '', /gang scheduling not enabled/);
  const pod = addSchedulerMetadata(buildHeadPod(rc, defaultBuilderConfig), rc, kubernetesWasScheduler, '');
  assert.equal(pod.spec.schedulingGroup, undefined);
  rc.metadata.labels!['ray.io/gang-scheduling-enabled'] = 'true';
  rc.spec.enableInTreeAutoscaling = true;
  assert.match(wasSkipReason(rc) ?? '', /autoscaling/);
});
