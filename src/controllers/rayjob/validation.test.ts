import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRayJobConfig } from './config.ts';
import { rayJob } from './fixtures.test-support.ts';
import { validateRayJob } from './validation.ts';

const check = (spec: Parameters<typeof rayJob>[0], name?: string) =>
  validateRayJob(rayJob(spec, undefined, name), defaultRayJobConfig);

test('a valid RayJob passes', () => {
  assert.equal(check({}), undefined);
});

test('metadata: the name is at most 47 characters and a DNS-1035 label', () => {
  assert.equal(check({}, 'a'.repeat(47)), undefined);
  assert.equal(check({}, 'a'.repeat(48))?.reason, 'InvalidRayJobMetadata');
  assert.match(check({}, '1abc')?.message ?? '', /DNS-1035/);
});

test('spec rules name the field', () => {
  const cases: [Parameters<typeof rayJob>[0], RegExp][] = [
    [{ suspend: true }, /spec.suspend: .*shutdownAfterJobFinishes/],
    [{ ttlSecondsAfterFinished: 10 }, /ttlSecondsAfterFinished/],
    [
      { activeDeadlineSeconds: 0 },
      /spec.activeDeadlineSeconds: The RayJob spec is invalid: activeDeadlineSeconds must be a positive integer/,
    ],
    [
      { clusterSelector: { other: 'x' } },
      /spec.clusterSelector: cluster name in ClusterSelector should not be empty/,
    ],
    [{ backoffLimit: 1, submissionMode: 'InteractiveMode' }, /backoffLimit/],
    [{ runtimeEnvYAML: 'a: [' }, /spec.runtimeEnvYAML: failed to unmarshal RuntimeEnvYAML/],
    [
      { runtimeEnvYAML: '- a\n- b' },
      /spec.runtimeEnvYAML: failed to unmarshal RuntimeEnvYAML: it must be a YAML mapping/,
    ],
    [{ submitterPodTemplate: { spec: { containers: [] } } }, /submitterPodTemplate.spec.containers/],
    [
      { metadata: { a: 'b' }, rayClusterSpec: { ...rayJob().spec.rayClusterSpec!, rayVersion: '2.5.0' } },
      /2\.6\.0/,
    ],
    [
      { submissionMode: 'SidecarMode', submitterConfig: { backoffLimit: 1 } },
      /spec.submitterConfig: Currently, SidecarMode doesn't support SubmitterConfig/,
    ],
    [
      { rayClusterSpec: { headGroupSpec: { template: { spec: { containers: [] } } } } },
      /spec.rayClusterSpec.headGroupSpec.template.spec.containers: The RayJob spec is invalid: headGroupSpec should have at least one container/,
    ],
  ];
  for (const [spec, re] of cases) {
    const r = check(spec);
    assert.equal(r?.reason, 'InvalidRayJobSpec', JSON.stringify(spec));
    assert.match(r!.message, re);
  }
});

test('deletion strategy: legacy and rules rules, all rule errors together', () => {
  assert.equal(
    check({
      deletionStrategy: { onSuccess: { policy: 'DeleteCluster' }, onFailure: { policy: 'DeleteNone' } },
    }),
    undefined,
  );
  assert.match(
    check({ deletionStrategy: { onSuccess: { policy: 'DeleteCluster' } } })?.message ?? '',
    /both DeletionStrategy.OnSuccess and DeletionStrategy.OnFailure must be set/,
  );
  // KubeRay reports every rule error together, but a rule that fails its own check (here: a cluster-deleting
  // policy with clusterSelector) is not also compared for duplicates or TTL order.
  const selector = check({
    clusterSelector: { 'ray.io/cluster': 'c' },
    rayClusterSpec: undefined,
    deletionStrategy: {
      deletionRules: [
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
        { policy: 'DeleteWorkers', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
      ],
    },
  });
  assert.match(
    selector?.message ?? '',
    /deletionRules\[0\]: DeletionPolicyType 'DeleteCluster' not supported when ClusterSelector is set/,
  );
  assert.match(
    selector?.message ?? '',
    /deletionRules\[1\]: DeletionPolicyType 'DeleteWorkers' not supported when ClusterSelector is set/,
  );
  const r = check({
    deletionStrategy: {
      deletionRules: [
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
        { policy: 'DeleteSelf', condition: { jobStatus: 'FAILED', ttlSeconds: 5 } },
      ],
    },
  });
  assert.match(r?.message ?? '', /duplicate rule/);
  assert.match(r?.message ?? '', /DeleteSelf TTL \(5\) must be >= DeleteCluster TTL \(10\)/);
  const gateOff = validateRayJob(
    rayJob({
      deletionStrategy: { deletionRules: [{ policy: 'DeleteSelf', condition: { jobStatus: 'FAILED' } }] },
    }),
    { ...defaultRayJobConfig, rayJobDeletionPolicy: false },
  );
  assert.match(gateOff?.message ?? '', /RayJobDeletionPolicy/);
});

test('status: Waiting is only legal in InteractiveMode', () => {
  const r = validateRayJob(rayJob({}, { jobDeploymentStatus: 'Waiting' }), defaultRayJobConfig);
  assert.equal(r?.reason, 'InvalidRayJobStatus');
});
