import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleRayService } from '../../builders/rayservice/testing.ts';
import { validateRayService } from './validate.ts';

test('a sample RayService is valid, and a 47-character name too', () => {
  assert.equal(validateRayService(sampleRayService()), undefined);
  assert.equal(validateRayService(sampleRayService('a'.repeat(47))), undefined);
});

test('metadata failures', () => {
  assert.match(validateRayService(sampleRayService('a'.repeat(48)))!.message, /no more than 47/);
  assert.equal(validateRayService(sampleRayService('Bad_Name'))!.kind, 'metadata');
  const rs = sampleRayService();
  rs.metadata.annotations = { 'ray.io/initializing-timeout': 'soon' };
  assert.match(validateRayService(rs)!.message, /initializing-timeout/);
});

test('spec failures name the field', () => {
  const head = sampleRayService();
  head.spec.rayClusterConfig.headGroupSpec.headService = { metadata: { name: 'x' } };
  assert.match(validateRayService(head)!.message, /headService\.metadata\.name/);
  const type = sampleRayService();
  type.spec.upgradeStrategy = { type: 'Blue' };
  assert.match(validateRayService(type)!.message, /spec\.upgradeStrategy\.type/);
  const inc = sampleRayService();
  inc.spec.upgradeStrategy = {
    type: 'NewClusterWithIncrementalUpgrade',
    clusterUpgradeOptions: { stepSizePercent: 10, intervalSeconds: 5, gatewayClassName: 'istio' },
  };
  assert.match(validateRayService(inc)!.message, /enableInTreeAutoscaling/);
  inc.spec.rayClusterConfig.enableInTreeAutoscaling = true;
  assert.equal(validateRayService(inc), undefined);
  inc.spec.upgradeStrategy.clusterUpgradeOptions!.maxSurgePercent = 5;
  assert.match(validateRayService(inc)!.message, /stepSizePercent must be <= maxSurgePercent/);
  const delay = sampleRayService();
  delay.spec.rayClusterDeletionDelaySeconds = -1;
  assert.match(validateRayService(delay)!.message, /rayClusterDeletionDelaySeconds/);
});
