import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus, Pod } from '../../api/index.ts';
import { ApiError } from '../../k8s/api-error.ts';
import {
  autoscalerServiceAccountNotFoundMessage,
  createdChildMessage,
  deletedAllPodsMessage,
  deletedPodMessage,
  deletedSuspendedGroupMessage,
  failedToCreateChildMessage,
  failedToCreatePodMessage,
  failedToDeletePodMessage,
  invalidClusterMessage,
} from './messages.ts';
import { shouldDeletePod } from './pod-health.ts';
import { goTerminatedString } from './terminated-state.ts';

const rejected = new ApiError('POST', '/api/v1/namespaces/ns/pods', 422, {
  reason: 'Invalid',
  message: 'Pod "rc-head-" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "!x!"',
});

const pod = (phase: string, terminated?: Record<string, unknown>): Pod => ({
  metadata: { name: 'rc-worker-abc', namespace: 'ns' },
  spec: { restartPolicy: 'Never', containers: [{ name: 'ray-worker', image: 'ray' }] },
  status: {
    phase,
    containerStatuses: [
      { name: 'ray-worker', ...(terminated ? { state: { terminated } } : {}) } as ContainerStatus,
    ],
  },
});

test('invalid metadata, spec and status read as KubeRay frames them', () => {
  assert.equal(
    invalidClusterMessage('spec', 'ns', 'rc', 'headGroupSpec should have at least one container'),
    'The RayCluster spec is invalid ns/rc: headGroupSpec should have at least one container',
  );
  assert.equal(
    invalidClusterMessage('metadata', 'ns', 'rc', 'RayCluster name should be no more than 53 characters'),
    'The RayCluster metadata is invalid ns/rc: RayCluster name should be no more than 53 characters',
  );
  assert.equal(
    invalidClusterMessage('status', 'ns', 'rc', 'bad'),
    'The RayCluster status is invalid ns/rc, bad',
  );
});

test('children are named as KubeRay names them, with the API error text', () => {
  assert.equal(createdChildMessage('ServiceAccount', 'ns', 'x'), 'Created service account ns/x');
  assert.equal(createdChildMessage('RoleBinding', 'ns', 'x'), 'Created role binding ns/x');
  assert.equal(createdChildMessage('Service', 'ns', 'x'), 'Created service ns/x');
  assert.equal(
    failedToCreateChildMessage('Ingress', 'ns', 'x', rejected),
    `Failed creating ingress ns/x, ${rejected.body!.message}`,
  );
  assert.match(
    autoscalerServiceAccountNotFoundMessage('ns', 'rc', 'sa'),
    /^Failed to reconcile RayCluster ns\/rc\. .*ServiceAccount sa is not found/,
  );
});

test('pod creation failures name the head Pod, or the cluster for a worker, and never our REST path', () => {
  assert.equal(
    failedToCreatePodMessage(true, 'ns', { pod: '', cluster: 'rc' }, rejected),
    `Failed to create head Pod ns/, ${rejected.body!.message}`,
  );
  assert.equal(
    failedToCreatePodMessage(false, 'ns', { pod: '', cluster: 'rc' }, rejected),
    `Failed to create worker Pod for the cluster ns/rc, ${rejected.body!.message}`,
  );
});

test('bulk deletions', () => {
  assert.equal(
    deletedAllPodsMessage('ns', 'rc', 'suspend'),
    'Deleted Pods for RayCluster ns/rc due to suspension',
  );
  assert.equal(
    deletedSuspendedGroupMessage('ns', 'rc', 'g'),
    'Deleted all pods for suspended worker group g in RayCluster ns/rc',
  );
});

test('a deleted unhealthy Pod is described with its phase, restart policy and Go-printed terminated state', () => {
  const dead = pod('Running', {
    exitCode: 1,
    reason: 'Error',
    startedAt: '2025-03-04T05:06:07Z',
    finishedAt: '2025-03-04T05:07:00Z',
    containerID: 'containerd://abc',
  });
  const state =
    '&ContainerStateTerminated{ExitCode:1,Signal:0,Reason:Error,Message:,StartedAt:2025-03-04 05:06:07 +0000 UTC,FinishedAt:2025-03-04 05:07:00 +0000 UTC,ContainerID:containerd://abc,}';
  assert.equal(goTerminatedString(dead), state);
  assert.equal(
    deletedPodMessage({ kind: 'unhealthy', head: false }, 'ns', 'rc-worker-abc', dead),
    `Deleted worker Pod ns/rc-worker-abc; Pod status: Running; Pod restart policy: Never; Ray container terminated status: ${state}`,
  );
  assert.equal(
    failedToDeletePodMessage({ kind: 'unhealthy', head: true }, 'ns', 'h', pod('Failed'), new Error('gone')),
    'Failed deleting head Pod ns/h; Pod status: Failed; Pod restart policy: Never; Ray container terminated status: nil, gone',
  );
  assert.equal(
    shouldDeletePod(dead, 'worker').reason,
    `The Pod status of the worker Pod rc-worker-abc is Running, and the Ray container terminated status is ${state}. The container is unable to restart due to its restart policy Never, so KubeRay will delete it.`,
  );
  assert.equal(
    shouldDeletePod(pod('Failed'), 'head').reason,
    'The head Pod rc-worker-abc status is Failed which is a terminal state. KubeRay will delete the Pod and create new Pods in the next reconciliation if necessary.',
  );
});

test('scale-down, workersToDelete and multi-host deletions use their own KubeRay wording', () => {
  assert.equal(deletedPodMessage({ kind: 'workersToDelete' }, 'ns', 'p', undefined), 'Deleted pod ns/p');
  assert.equal(deletedPodMessage({ kind: 'scaleDown' }, 'ns', 'p', undefined), 'Deleted Pod ns/p');
  assert.equal(
    deletedPodMessage({ kind: 'replica', group: 'g', reason: 'scaling down' }, 'ns', 'p', undefined),
    'Deleted worker Pod ns/p for group g: scaling down',
  );
});
