import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayJobSpec } from '../../../src/api/index.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { installStandInCrds, volcanoPodGroupKind } from '../../support/standin-crds.ts';
import { pendingSubmitterTemplate, rayJobManifest, startHarness } from './harness.ts';

/**
 * The RayJob's Volcano hooks against the real API server. Volcano itself is not installed: a minimal PodGroup
 * CRD (scheduling.volcano.sh/v1beta1, schema left open) stands in for its CRD, which is all the operator touches.
 */
interface PodGroup extends KubeObject {
  spec: { minMember: number; minResources: Record<string, string>; queue?: string };
}

test('volcano: a RayJob PodGroup covers cluster + submitter, the submitter pod joins it, and it shrinks when the job ends', async (t) => {
  const h = await startHarness(t, { batchScheduler: 'volcano' });
  await installStandInCrds(h.kube.rest, [volcanoPodGroupKind]);
  const res = (cpu: string, memory: string) => ({ requests: { cpu, memory } });
  const manifest = rayJobManifest(
    h.ns,
    'gang',
    {
      submitterPodTemplate: {
        spec: {
          ...pendingSubmitterTemplate.spec,
          containers: [{ ...pendingSubmitterTemplate.spec.containers[0]!, resources: res('100m', '64Mi') }],
        },
      },
    },
    { labels: { 'volcano.sh/queue-name': 'q-ml' } },
  ) as KubeObject & { spec: RayJobSpec };
  const clusterSpec = manifest.spec.rayClusterSpec!;
  clusterSpec.headGroupSpec.template.spec!.containers[0]!.resources = res('1', '2Gi');
  clusterSpec.workerGroupSpecs![0]!.template.spec!.containers[0]!.resources = res('1', '1Gi');
  await h.kube.create(Resources.rayJobs, manifest);

  const pg = await eventually(
    () => h.kube.get(Resources.volcanoPodGroups, h.ns, 'ray-gang-pg') as Promise<PodGroup>,
  );
  // 1 head + 3 workers; the submitter adds 100m / 64Mi but is not a member.
  assert.equal(pg.spec.minMember, 4);
  assert.deepEqual(pg.spec.minResources, { cpu: '4100m', memory: '5184Mi' });
  assert.equal(pg.spec.queue, 'q-ml');
  assert.deepEqual(
    pg.metadata.ownerReferences?.map((o) => o.kind),
    ['RayJob'],
  );

  const rj = await h.waitFor('gang', (r) => assert.ok(r.status?.rayClusterName));
  const clusterName = rj.status!.rayClusterName!;
  await eventually(async () => assert.ok(await h.getCluster(clusterName)));
  await h.makeClusterReady(clusterName);
  const job = await eventually(() => h.kube.get(Resources.jobs, h.ns, 'gang'));
  const pod = (job.spec as { template: { metadata: KubeObject['metadata']; spec: Record<string, unknown> } })
    .template;
  assert.equal(pod.spec.schedulerName, 'volcano');
  assert.equal(pod.metadata.annotations?.['scheduling.k8s.io/group-name'], 'ray-gang-pg');
  assert.equal(pod.metadata.labels?.['volcano.sh/queue-name'], 'q-ml');

  await h.waitFor('gang', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
  h.dashboard.setJob(rj.status!.jobId!, { status: 'SUCCEEDED', end_time: Date.now() });
  await h.finishSubmitter('gang', 'Complete');
  await h.waitFor('gang', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Complete'));
  // The cluster lives on (no shutdownAfterJobFinishes): the gang keeps it, without the submitter.
  await eventually(async () => {
    const after = (await h.kube.get(Resources.volcanoPodGroups, h.ns, 'ray-gang-pg')) as PodGroup;
    assert.equal(after.spec.minMember, 4);
    assert.deepEqual(after.spec.minResources, { cpu: '4', memory: '5Gi' });
  });
});
