import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../k8s/api-error.ts';
import {
  createdClusterMessage,
  createdGatewayMessage,
  createdServiceMessage,
  deletedClusterMessage,
  failedToCreateServiceMessage,
  failedToUpdateClusterMessage,
  failedToUpdateServeApplicationsMessage,
  initializingTimeoutConditionMessage,
  initializingTimeoutEventMessage,
  invalidRayServiceMessage,
  updatedClusterMessage,
  updatedServeLabelMessage,
  updatedServiceMessage,
  updatedTargetCapacityMessage,
} from './messages.ts';

const conflict = new ApiError('PUT', '/apis/ray.io/v1/namespaces/ns/rayclusters/c', 409, {
  reason: 'Conflict',
  message: 'Operation cannot be fulfilled on rayclusters.ray.io "c": the object has been modified',
});

test("RayService event texts are KubeRay's", () => {
  assert.equal(
    invalidRayServiceMessage(
      'spec',
      'ns/rs',
      'spec.rayClusterConfig.headGroupSpec should have at least one container',
    ),
    'The RayService spec is invalid ns/rs: spec.rayClusterConfig.headGroupSpec should have at least one container',
  );
  assert.equal(createdClusterMessage('ns/c'), 'Created the RayCluster ns/c');
  assert.equal(updatedClusterMessage('pending', 'ns/c'), 'Updated the pending RayCluster ns/c');
  assert.equal(
    failedToUpdateClusterMessage('active', 'ns/c', conflict),
    `Failed to update the active RayCluster ns/c: ${conflict.body!.message}`,
  );
  assert.equal(deletedClusterMessage('ns/c'), 'Deleted the RayCluster ns/c');
  assert.equal(createdServiceMessage('ns/s'), 'Created the service ns/s');
  assert.equal(failedToCreateServiceMessage('ns/s', new Error('x')), 'Failed to create the service ns/s, x');
  assert.equal(
    updatedServeLabelMessage('ns/h', 'true'),
    'Updated the serve label to "true" for the Head Pod ns/h',
  );
  assert.equal(createdGatewayMessage('ns/rs-gateway'), 'Created Gateway for RayService ns/rs-gateway');
  assert.match(
    failedToUpdateServeApplicationsMessage('ns/c', new Error('connection refused')),
    /^Failed to update serve applications to the RayCluster ns\/c: fail to create \/ update Serve applications\. .* err: connection refused$/,
  );
});

test('where we say more, the KubeRay text comes first', () => {
  assert.ok(updatedServiceMessage('ns/s', 'c2').startsWith('Updated the service ns/s'));
  assert.ok(
    updatedTargetCapacityMessage('ns/c', 50).startsWith(
      'Updated target_capacity of serve applications to to the RayCluster ns/c',
    ),
  );
});

test('the initializing timeout prints durations as Go does', () => {
  assert.equal(
    initializingTimeoutEventMessage(30 * 60_000, 30 * 60_000 + 1500),
    'RayService initializing timeout exceeded after 30m1.5s (configured timeout: 30m0s)',
  );
  assert.equal(
    initializingTimeoutConditionMessage(1000, 2000),
    'RayService failed to become ready within the configured timeout of 1s. Time spent initializing: 2s',
  );
});
