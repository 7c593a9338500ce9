import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayServiceUpgradeStrategy } from '../../api/index.ts';
import { sampleRayService } from '../../builders/rayservice/testing.ts';
import { validateRayServiceFull } from './validate.ts';

// The local rule copy is gone: these cases run through the one validator (src/api) the controller uses.
const validateRayService = validateRayServiceFull;

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
  type.spec.upgradeStrategy = { type: 'Blue' as RayServiceUpgradeStrategy['type'] };
  assert.match(validateRayService(type)!.message, /Spec\.UpgradeStrategy\.Type value Blue is invalid/);
  const inc = sampleRayService();
  inc.spec.upgradeStrategy = {
    type: 'NewClusterWithIncrementalUpgrade',
    clusterUpgradeOptions: { stepSizePercent: 10, intervalSeconds: 5, gatewayClassName: 'istio' },
  };
  assert.match(
    validateRayService(inc)!.message,
    /Ray Autoscaler is required for NewClusterWithIncrementalUpgrade/,
  );
  inc.spec.rayClusterConfig.enableInTreeAutoscaling = true;
  assert.equal(validateRayService(inc), undefined);
  inc.spec.upgradeStrategy.clusterUpgradeOptions!.maxSurgePercent = 5;
  assert.match(
    validateRayService(inc)!.message,
    /stepSizePercent must be less than or equal to maxSurgePercent/,
  );
  const delay = sampleRayService();
  delay.spec.rayClusterDeletionDelaySeconds = -1;
  assert.match(
    validateRayService(delay)!.message,
    /Spec\.RayClusterDeletionDelaySeconds should be a non-negative integer, got -1/,
  );
});

test('the full validation uses src/api: rayClusterConfig is validated as a RayCluster spec', () => {
  assert.equal(validateRayServiceFull(sampleRayService()), undefined);
  const noHead = sampleRayService();
  noHead.spec.rayClusterConfig.headGroupSpec.template!.spec!.containers = [];
  assert.equal(validateRayServiceFull(noHead)?.kind, 'spec');
  const longName = sampleRayService('a'.repeat(48));
  assert.equal(validateRayServiceFull(longName)?.kind, 'metadata');
  const managed = sampleRayService();
  managed.spec.managedBy = 'someone-else';
  assert.match(validateRayServiceFull(managed)?.message ?? '', /managedBy/);
});
