import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayService } from '../rayservice.ts';
import { embeddedClusterSpec, type SpecCase } from './cases.test-support.ts';
import {
  parseInitializingTimeout,
  validateRayService,
  validateRayServiceMetadata,
  validateRayServiceSpec,
} from './rayservice.ts';

const svc = (): RayService => ({
  metadata: { name: 'svc' },
  spec: {
    rayClusterConfig: { enableInTreeAutoscaling: true, ...embeddedClusterSpec(4) },
  },
});

test('initializing-timeout annotation: Go duration or positive seconds', () => {
  const at = (v: string) => parseInitializingTimeout({ 'ray.io/initializing-timeout': v });
  assert.deepEqual(at('30m'), { ms: 1_800_000 });
  assert.deepEqual(at('1h30m'), { ms: 5_400_000 });
  assert.deepEqual(at('90'), { ms: 90_000 });
  assert.deepEqual(parseInitializingTimeout(undefined), {});
  assert.equal(
    at('-5m').error,
    'annotation ray.io/initializing-timeout must be a positive duration, got: -5m',
  );
  assert.equal(at('0').error, 'annotation ray.io/initializing-timeout must be a positive duration, got: 0');
  assert.equal(
    at('-3').error,
    'annotation ray.io/initializing-timeout must be a positive integer (seconds), got: -3',
  );
  assert.equal(
    at('soon').error,
    "annotation ray.io/initializing-timeout has invalid format: soon. Expected Go duration format (e.g., '5m', '1h') or positive integer seconds",
  );
});

test('metadata: name rules and the timeout annotation', () => {
  assert.deepEqual(validateRayServiceMetadata({ name: 'svc' }), []);
  assert.equal(
    validateRayServiceMetadata({ name: 'x'.repeat(48) })[0]?.message,
    'RayService name should be no more than 47 characters',
  );
  assert.deepEqual(
    validateRayServiceMetadata({ name: 'svc', annotations: { 'ray.io/initializing-timeout': 'x' } }),
    [
      {
        field: 'metadata.annotations[ray.io/initializing-timeout]',
        reason: 'InvalidRayServiceMetadata',
        message:
          "RayService annotations is invalid: annotation ray.io/initializing-timeout has invalid format: x. Expected Go duration format (e.g., '5m', '1h') or positive integer seconds",
      },
    ],
  );
});

const incremental = (s: RayService, o: Record<string, unknown> | undefined) => {
  s.spec.upgradeStrategy = {
    type: 'NewClusterWithIncrementalUpgrade',
    ...(o ? { clusterUpgradeOptions: o as never } : {}),
  };
};
const cases: SpecCase<RayService>[] = [
  [
    'cluster spec (no prefix)',
    (s) => {
      s.spec.rayClusterConfig.headGroupSpec.template.spec!.containers = [];
    },
    'spec.rayClusterConfig.headGroupSpec.template.spec.containers',
    'headGroupSpec should have at least one container',
  ],
  [
    'head service name',
    (s) => {
      s.spec.rayClusterConfig.headGroupSpec.headService = { metadata: { name: 'x' } };
    },
    'spec.rayClusterConfig.headGroupSpec.headService.metadata.name',
    'spec.rayClusterConfig.headGroupSpec.headService.metadata.name should not be set',
  ],
  [
    'upgrade type',
    (s) => {
      s.spec.upgradeStrategy = { type: 'Blue' as never };
    },
    'spec.upgradeStrategy.type',
    'Spec.UpgradeStrategy.Type value Blue is invalid, valid options are NewClusterWithIncrementalUpgrade, NewCluster, or None',
  ],
  [
    'deletion delay',
    (s) => {
      s.spec.rayClusterDeletionDelaySeconds = -1;
    },
    'spec.rayClusterDeletionDelaySeconds',
    'Spec.RayClusterDeletionDelaySeconds should be a non-negative integer, got -1',
  ],
  [
    'incremental without autoscaler',
    (s) => {
      s.spec.rayClusterConfig.enableInTreeAutoscaling = false;
      incremental(s, undefined);
    },
    'spec.rayClusterConfig.enableInTreeAutoscaling',
    'Ray Autoscaler is required for NewClusterWithIncrementalUpgrade',
  ],
  [
    'incremental without options',
    (s) => incremental(s, undefined),
    'spec.upgradeStrategy.clusterUpgradeOptions',
    'ClusterUpgradeOptions are required for NewClusterWithIncrementalUpgrade',
  ],
  [
    'step size',
    (s) => incremental(s, { stepSizePercent: 120, intervalSeconds: 5, gatewayClassName: 'g' }),
    'spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent',
    'stepSizePercent must be between 0 and 100',
  ],
  [
    'step above surge',
    (s) =>
      incremental(s, { maxSurgePercent: 20, stepSizePercent: 50, intervalSeconds: 5, gatewayClassName: 'g' }),
    'spec.upgradeStrategy.clusterUpgradeOptions.stepSizePercent',
    'stepSizePercent must be less than or equal to maxSurgePercent',
  ],
  [
    'interval',
    (s) => incremental(s, { stepSizePercent: 10, intervalSeconds: 0, gatewayClassName: 'g' }),
    'spec.upgradeStrategy.clusterUpgradeOptions.intervalSeconds',
    'intervalSeconds must be greater than 0',
  ],
  [
    'gateway class',
    (s) => incremental(s, { stepSizePercent: 10, intervalSeconds: 5, gatewayClassName: '' }),
    'spec.upgradeStrategy.clusterUpgradeOptions.gatewayClassName',
    'gatewayClassName is required for NewClusterWithIncrementalUpgrade',
  ],
];

test('spec rules with field and message', async (t) => {
  for (const [name, mutate, field, message] of cases) {
    await t.test(name, () => {
      const s = svc();
      mutate(s);
      assert.deepEqual(validateRayServiceSpec(s), [{ field, message, reason: 'InvalidRayServiceSpec' }]);
    });
  }
});

test('a valid service passes, including a complete incremental upgrade', () => {
  const s = svc();
  assert.deepEqual(validateRayService(s), []);
  incremental(s, { stepSizePercent: 10, intervalSeconds: 30, gatewayClassName: 'istio' });
  assert.deepEqual(validateRayService(s), []);
});
