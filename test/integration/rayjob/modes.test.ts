import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../../src/api/index.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { consistently, rayJobManifest, startHarness } from './harness.ts';

const nowTime = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Stands in for the RayCluster controller and the kubelet: the head pod, then its status with these submitter states. */
async function standInHeadPod(
  h: Awaited<ReturnType<typeof startHarness>>,
  name: string,
  cluster: RayCluster,
): Promise<(submitter: Record<string, unknown>, extra?: Record<string, unknown>) => Promise<void>> {
  const head = cluster.spec.headGroupSpec.template.spec!;
  await h.kube.create(Resources.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-head`,
      namespace: h.ns,
      labels: { 'ray.io/cluster': name, 'ray.io/node-type': 'head' },
    },
    spec: {
      restartPolicy: 'Never',
      nodeSelector: { 'kuberay-ts.test/no-such-node': 'true' },
      containers: head.containers.map((c) => ({ name: c.name, image: c.image ?? 'rayproject/ray:2.46.0' })),
    },
  } as KubeObject);
  // A merge patch without a resourceVersion: the scheduler writes this unschedulable pod's PodScheduled condition
  // at any moment, and a get-then-update would then fail with a conflict.
  return async (submitter, extra = {}) => {
    const container = (n: string, ready: boolean, state: Record<string, unknown>) => ({
      name: n,
      ready,
      restartCount: 0,
      image: 'rayproject/ray:2.46.0',
      imageID: '',
      state,
    });
    await h.kube.patchStatus(Resources.pods, h.ns, `${name}-head`, {
      status: {
        phase: 'Running',
        ...extra,
        containerStatuses: [
          container('ray-head', true, { running: { startedAt: nowTime() } }),
          container('ray-job-submitter', false, submitter),
        ],
      },
    });
  };
}

test('SidecarMode: the submitter runs in the head pod; its exit and the Ray job status decide the outcome', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(Resources.rayJobs, rayJobManifest(h.ns, 'sidecar', { submissionMode: 'SidecarMode' }));
  const rj = await h.waitFor('sidecar', (r) => assert.ok(r.status?.rayClusterName && r.status.jobId));
  const name = rj.status!.rayClusterName!;
  const cluster = (await eventually(async () => {
    const c = await h.getCluster(name);
    assert.ok(c);
    return c;
  })) as RayCluster;
  const head = cluster.spec.headGroupSpec.template.spec!;
  assert.deepEqual(
    head.containers.map((c) => c.name),
    ['ray-head', 'ray-job-submitter'],
  );
  assert.equal(head.restartPolicy, 'Never');
  assert.equal(cluster.metadata.labels?.['ray.io/job-submission-mode'], 'SidecarMode');
  assert.equal(cluster.metadata.annotations?.['ray.io/disable-provisioned-head-restart'], 'true');

  // Stand in for the RayCluster controller: a head pod that never lands on a node, with the submitter running.
  const setHeadStatus = await standInHeadPod(h, name, cluster);
  await h.makeClusterReady(name);
  await h.waitFor('sidecar', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
  assert.equal(
    await h.kube.getOrUndefined(Resources.jobs, h.ns, 'sidecar'),
    undefined,
    'no submitter Job in SidecarMode',
  );

  h.dashboard.setJob(rj.status!.jobId!, { status: 'SUCCEEDED' });
  // The Ray job ended but the submitter container still runs: not terminal yet.
  await h.waitFor('sidecar', (r) => assert.equal(r.status?.jobStatus, 'SUCCEEDED'));
  await consistently(
    async () => assert.equal((await h.getRayJob('sidecar')).status?.jobDeploymentStatus, 'Running'),
    1000,
  );
  await setHeadStatus({
    terminated: { exitCode: 0, reason: 'Completed', startedAt: nowTime(), finishedAt: nowTime() },
  });
  await h.waitFor('sidecar', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Complete'));
});

test('SidecarMode: a job that fails before the cluster is ready ends Failed with the submitter exit, not Initializing for ever', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(
    Resources.rayJobs,
    rayJobManifest(h.ns, 'quickfail', { submissionMode: 'SidecarMode' }),
  );
  const rj = await h.waitFor('quickfail', (r) => assert.ok(r.status?.rayClusterName && r.status.jobId));
  const name = rj.status!.rayClusterName!;
  const cluster = (await eventually(async () => {
    const c = await h.getCluster(name);
    assert.ok(c);
    return c;
  })) as RayCluster;
  const setHeadStatus = await standInHeadPod(h, name, cluster);
  await h.kube.create(Resources.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: `${name}-head-svc`,
      namespace: h.ns,
      labels: { 'ray.io/node-type': 'head', 'ray.io/cluster': name },
    },
    spec: {
      clusterIP: 'None',
      selector: { 'ray.io/cluster': name },
      ports: [{ name: 'dashboard', port: 8265 }],
    },
  });
  // The submitter exited 1 while the head was still starting: the head pod is never Ready again, so the
  // RayCluster stays not ready (no stand-in marks it ready here).
  await setHeadStatus(
    { terminated: { exitCode: 1, reason: 'Error', startedAt: nowTime(), finishedAt: nowTime() } },
    { conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] },
  );
  const done = await h.waitFor('quickfail', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Failed'));
  assert.equal(done.status?.reason, 'SubmissionFailed');
  assert.match(done.status?.message ?? '', /ray-job-submitter/);
  assert.notEqual((await h.getCluster(name))?.status?.state, 'ready', 'the cluster never became ready');
});

test('clusterSelector: uses the named cluster, never deletes it; a missing cluster is a RayClusterNotFound warning', async (t) => {
  const h = await startHarness(t);
  await h.kube.create(Resources.rayJobs, {
    ...rayJobManifest(h.ns, 'orphan', {
      submissionMode: 'HTTPMode',
      clusterSelector: { 'ray.io/cluster': 'nope' },
    }),
  });
  await eventually(async () => assert.ok((await h.events()).some((e) => e.reason === 'RayClusterNotFound')));

  const shared = rayJobManifest(h.ns, 'shared').spec as { rayClusterSpec: unknown };
  await h.kube.create(Resources.rayClusters, {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'shared', namespace: h.ns },
    spec: shared.rayClusterSpec,
  } as KubeObject);
  await h.makeClusterReady('shared');
  const manifest = rayJobManifest(h.ns, 'user', {
    submissionMode: 'HTTPMode',
    clusterSelector: { 'ray.io/cluster': 'shared' },
    shutdownAfterJobFinishes: true,
  });
  delete (manifest.spec as { rayClusterSpec?: unknown }).rayClusterSpec;
  await h.kube.create(Resources.rayJobs, manifest);
  const rj = await h.waitFor('user', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Running'));
  assert.equal(rj.status?.rayClusterName, 'shared');
  await eventually(() => assert.ok(h.dashboard.jobs.has(rj.status!.jobId!), 'submitted over HTTP'));
  h.dashboard.setJob(rj.status!.jobId!, { status: 'SUCCEEDED' });
  await h.waitFor('user', (r) => assert.equal(r.status?.jobDeploymentStatus, 'Complete'));
  await consistently(async () => assert.ok(await h.getCluster('shared'), 'the shared cluster is kept'), 1000);
  assert.equal(
    await h.kube.getOrUndefined(Resources.services, h.ns, 'user-head-svc'),
    undefined,
    'no RayJob head Service with clusterSelector',
  );
});

test('clusterSelector in K8sJobMode without submitterPodTemplate (KubeRay sample use-existing-raycluster): the submitter Job runs the cluster image', async (t) => {
  const h = await startHarness(t);
  const spec = structuredClone(
    (rayJobManifest(h.ns, 'x').spec as { rayClusterSpec: RayCluster['spec'] }).rayClusterSpec,
  );
  spec.headGroupSpec.template.spec!.containers[0]!.image = 'rayproject/ray:2.41.0';
  await h.kube.create(Resources.rayClusters, {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'ray-cluster-kuberay', namespace: h.ns },
    spec,
  } as KubeObject);
  await h.makeClusterReady('ray-cluster-kuberay');
  // The sample as KubeRay ships it: an entrypoint and a clusterSelector, nothing else.
  await h.kube.create(Resources.rayJobs, {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: 'rayjob-use-existing-raycluster', namespace: h.ns },
    spec: {
      entrypoint: 'python -c "import ray; ray.init(); print(ray.cluster_resources())"',
      clusterSelector: { 'ray.io/cluster': 'ray-cluster-kuberay' },
    },
  } as KubeObject);
  const job = (await eventually(async () => {
    const j = await h.kube.getOrUndefined(Resources.jobs, h.ns, 'rayjob-use-existing-raycluster');
    assert.ok(j, 'the submitter Job is created');
    return j;
  })) as KubeObject & { spec: { template: { spec: { containers: { image?: string }[] } } } };
  assert.equal(job.spec.template.spec.containers[0]!.image, 'rayproject/ray:2.41.0');
  await h.waitFor('rayjob-use-existing-raycluster', (r) =>
    assert.equal(r.status?.jobDeploymentStatus, 'Running'),
  );
});
