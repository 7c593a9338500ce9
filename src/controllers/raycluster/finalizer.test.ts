import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../api/index.ts';
import { deletionTimeoutSeconds, redisCleanupApplies } from './finalizer.ts';

const rc = (
  annotations: Record<string, string>,
  ft?: RayCluster['spec']['gcsFaultToleranceOptions'],
): RayCluster => ({
  metadata: { name: 'c', annotations },
  spec: {
    headGroupSpec: { template: { spec: { containers: [] } } },
    ...(ft ? { gcsFaultToleranceOptions: ft } : {}),
  },
});

test('the deletion timeout annotation is integer seconds, else 300 (scenario 28)', () => {
  assert.equal(deletionTimeoutSeconds(rc({ 'ray.io/gcs-ft-deletion-timeout': '20' })), 20);
  assert.equal(deletionTimeoutSeconds(rc({})), 300);
  assert.equal(deletionTimeoutSeconds(rc({ 'ray.io/gcs-ft-deletion-timeout': 'abc' })), 300);
  assert.equal(deletionTimeoutSeconds(rc({ 'ray.io/gcs-ft-deletion-timeout': '0' })), 300);
});

test('the cleanup applies to Redis FT only, and only when enabled', () => {
  assert.equal(redisCleanupApplies(rc({ 'ray.io/ft-enabled': 'TRUE' }), true), true);
  assert.equal(redisCleanupApplies(rc({ 'ray.io/ft-enabled': 'true' }), false), false);
  assert.equal(redisCleanupApplies(rc({}, { redisAddress: 'r:6379' }), true), true);
  assert.equal(redisCleanupApplies(rc({}, { backend: 'rocksdb' }), true), false);
  assert.equal(redisCleanupApplies(rc({}), true), false);
});
