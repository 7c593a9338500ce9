import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../k8s/api-error.ts';
import {
  activeDeadlineMessage,
  clusterSelectorNotFoundMessage,
  clusterTexts,
  deleteClusterTexts,
  deleteSubmitterTexts,
  failedToSuspendWorkerGroupsMessage,
  failedToUpdateServiceMessage,
  invalidRayJobMessage,
  serviceTexts,
  submitterContainerFailedMessage,
  submitterFinishedTimeoutMessage,
  submitterTexts,
  suspendedWorkerGroupsMessage,
} from './messages.ts';

const forbidden = new ApiError('POST', '/apis/batch/v1/namespaces/ns/jobs', 403, {
  reason: 'Forbidden',
  message: 'jobs.batch "j" is forbidden: exceeded quota',
});

test("RayJob event texts are KubeRay's, with the API server's error text", () => {
  assert.equal(clusterTexts.done('ns/c'), 'Created RayCluster ns/c');
  assert.equal(clusterTexts.failed('ns/c', new Error('x')), 'Failed to create RayCluster ns/c: x');
  assert.equal(submitterTexts.done('ns/j'), 'Created Kubernetes Job ns/j');
  assert.equal(
    submitterTexts.failed('ns/j', forbidden),
    'Failed to create new Kubernetes Job ns/j: jobs.batch "j" is forbidden: exceeded quota',
  );
  assert.equal(serviceTexts.done('ns/s'), 'Created the service ns/s');
  assert.equal(serviceTexts.failed('ns/s', new Error('x')), 'Failed to create the service ns/s, x');
  assert.equal(failedToUpdateServiceMessage('ns/s', new Error('x')), 'Failed to update the service ns/s, x');
  assert.equal(deleteClusterTexts.done('ns/c'), 'Deleted cluster ns/c');
  assert.equal(
    deleteSubmitterTexts.failed('ns/j', new Error('x')),
    'Failed to delete submitter K8s Job ns/j: x',
  );
  assert.equal(
    suspendedWorkerGroupsMessage('ns/c'),
    'Set the `suspend` field to true for all worker groups in cluster ns/c',
  );
  assert.equal(
    failedToSuspendWorkerGroupsMessage('ns/c', new Error('x')),
    'Failed to suspend worker groups in cluster ns/c: x',
  );
  assert.equal(
    clusterSelectorNotFoundMessage('ns/c'),
    'RayCluster ns/c set in the clusterSelector is not found. It must be created manually',
  );
});

test('a validation failure event is the RayJob name, then the validator message', () => {
  assert.equal(
    invalidRayJobMessage('ns/j', 'The RayJob spec is invalid: entrypoint is required'),
    'ns/j: The RayJob spec is invalid: entrypoint is required',
  );
});

test('status messages print times and durations as Go does', () => {
  assert.equal(
    activeDeadlineMessage('2025-01-02T03:04:05Z', 60),
    'The RayJob has passed the activeDeadlineSeconds. StartTime: 2025-01-02 03:04:05 +0000 UTC. ActiveDeadlineSeconds: 60',
  );
  assert.equal(
    submitterFinishedTimeoutMessage(Date.parse('2025-01-02T03:04:05Z'), 30),
    'The RayJob submitter finished at 2025-01-02 03:04:05 but the ray job did not reach terminal state within 30s',
  );
  assert.equal(
    submitterContainerFailedMessage('ray-job-submitter', 1, 'Error'),
    'Ray head pod container ray-job-submitter terminated with exit code 1: Error',
  );
});
