import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRayClusterDefaults, applyRayJobDefaults, applyRayServiceDefaults } from './defaults.ts';
import type { PodTemplateSpec } from './k8s-types.ts';
import type { RayClusterSpec } from './raycluster.ts';

const spec = (): RayClusterSpec => ({
  headGroupSpec: { template: {} as PodTemplateSpec },
  workerGroupSpecs: [
    {
      groupName: 'a',
      minReplicas: 0,
      maxReplicas: 1,
      template: {} as PodTemplateSpec,
      rayStartParams: { 'num-cpus': '1' },
    },
    { groupName: 'b', minReplicas: 0, maxReplicas: 1, template: {} as PodTemplateSpec },
  ],
});

test('nil rayStartParams become {} on the head and every group; set ones are kept; the input is not mutated', () => {
  const input = spec();
  const out = applyRayClusterDefaults(input);
  assert.deepEqual(out.headGroupSpec.rayStartParams, {});
  assert.deepEqual(
    out.workerGroupSpecs?.map((g) => g.rayStartParams),
    [{ 'num-cpus': '1' }, {}],
  );
  assert.equal(input.headGroupSpec.rayStartParams, undefined);
});

test('RayJob and RayService defaults', () => {
  const job = applyRayJobDefaults({ rayClusterSpec: spec() });
  assert.equal(job.submissionMode, 'K8sJobMode');
  assert.deepEqual(job.rayClusterSpec?.headGroupSpec.rayStartParams, {});
  assert.equal(applyRayJobDefaults({ submissionMode: 'HTTPMode' }).submissionMode, 'HTTPMode');
  const svc = applyRayServiceDefaults({ rayClusterConfig: spec() });
  assert.equal(svc.rayClusterDeletionDelaySeconds, 60);
  assert.equal(
    applyRayServiceDefaults({ rayClusterConfig: spec(), rayClusterDeletionDelaySeconds: 0 })
      .rayClusterDeletionDelaySeconds,
    0,
  );
});
