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
    [{ activeDeadlineSeconds: 0 }, /activeDeadlineSeconds: must be > 0/],
    [{ clusterSelector: { other: 'x' } }, /ray.io\/cluster must be present/],
    [{ backoffLimit: 1, submissionMode: 'InteractiveMode' }, /backoffLimit/],
    [{ runtimeEnvYAML: 'a: [' }, /runtimeEnvYAML is not valid YAML/],
    [{ runtimeEnvYAML: '- a\n- b' }, /runtimeEnvYAML must be a YAML mapping/],
    [{ submitterPodTemplate: { spec: { containers: [] } } }, /submitterPodTemplate.spec.containers/],
    [
      { metadata: { a: 'b' }, rayClusterSpec: { ...rayJob().spec.rayClusterSpec!, rayVersion: '2.5.0' } },
      /2\.6\.0/,
    ],
    [
      { submissionMode: 'SidecarMode', submitterConfig: { backoffLimit: 1 } },
      /submitterConfig: not allowed in SidecarMode/,
    ],
    [
      { rayClusterSpec: { headGroupSpec: { template: { spec: { containers: [] } } } } },
      /spec.rayClusterSpec: .*container/,
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
    /both onSuccess.policy and onFailure.policy/,
  );
  const r = check({
    clusterSelector: { 'ray.io/cluster': 'c' },
    rayClusterSpec: undefined,
    deletionStrategy: {
      deletionRules: [
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
        { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
        { policy: 'DeleteSelf', condition: { jobStatus: 'FAILED', ttlSeconds: 5 } },
      ],
    },
  });
  assert.match(r?.message ?? '', /not allowed with clusterSelector/);
  assert.match(r?.message ?? '', /duplicate rule/);
  assert.match(r?.message ?? '', /TTL of DeleteSelf must not be less than that of DeleteCluster/);
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
