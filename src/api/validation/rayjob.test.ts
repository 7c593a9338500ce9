import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayJob } from '../rayjob.ts';
import { embeddedClusterSpec, rayTemplate, type SpecCase } from './cases.test-support.ts';
import { validationMessage } from './index.ts';
import {
  runtimeEnvProblem,
  validateRayJob,
  validateRayJobMetadata,
  validateRayJobSpec,
  validateRayJobStatus,
} from './rayjob.ts';

const job = (): RayJob => ({
  metadata: { name: 'job' },
  spec: {
    entrypoint: 'python x.py',
    rayClusterSpec: embeddedClusterSpec(1),
  },
});

test('metadata: at most 47 characters and a DNS-1035 label', () => {
  assert.deepEqual(validateRayJobMetadata({ name: 'a'.repeat(47) }), []);
  assert.deepEqual(validateRayJobMetadata({ name: 'a'.repeat(48) }), [
    {
      field: 'metadata.name',
      reason: 'InvalidRayJobMetadata',
      message: 'The RayJob metadata is invalid: RayJob name should be no more than 47 characters',
    },
  ]);
  assert.match(
    validateRayJobMetadata({ name: 'Job' })[0]!.message,
    /^The RayJob metadata is invalid: RayJob name should be a valid DNS1035 label: \[a DNS-1035 label/,
  );
});

test('status: Waiting only in InteractiveMode', () => {
  const j = job();
  j.status = { jobDeploymentStatus: 'Waiting' };
  assert.equal(validateRayJobStatus(j)[0]?.reason, 'InvalidRayJobStatus');
  j.spec.submissionMode = 'InteractiveMode';
  assert.deepEqual(validateRayJobStatus(j), []);
});

type DeletionStrategy = NonNullable<RayJob['spec']['deletionStrategy']>;
const failedDeleteSelf: DeletionStrategy['deletionRules'] = [
  { policy: 'DeleteSelf', condition: { jobStatus: 'FAILED' } },
];
const shutdown = (j: RayJob) => {
  j.spec.shutdownAfterJobFinishes = true;
};

/**
 * A deletionStrategy rule: the job gets `strategy` (after `also`, if given) and the one problem expected is on
 * `spec.deletionStrategy` (or `field`).
 */
const strategyCase = (
  name: string,
  strategy: DeletionStrategy,
  message: string,
  o: { also?: (j: RayJob) => void; field?: string; features?: Record<string, boolean> } = {},
): SpecCase<RayJob> => [
  name,
  (j) => {
    o.also?.(j);
    j.spec.deletionStrategy = strategy;
  },
  o.field ?? 'spec.deletionStrategy',
  message,
  o.features,
];

const cases: SpecCase<RayJob>[] = [
  [
    'suspend without shutdown',
    (j) => {
      j.spec.suspend = true;
    },
    'spec.suspend',
    'The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended',
  ],
  [
    'a NUL byte in the entrypoint',
    (j) => {
      j.spec.entrypoint = 'python x.py\u0000--flag';
    },
    'spec.entrypoint',
    'The RayJob spec is invalid: the entrypoint contains a NUL character, which no command line can carry',
  ],
  [
    'negative TTL',
    (j) => {
      j.spec.ttlSecondsAfterFinished = -1;
    },
    'spec.ttlSecondsAfterFinished',
    'The RayJob spec is invalid: TTLSecondsAfterFinished must be a non-negative integer',
  ],
  [
    'TTL without shutdown',
    (j) => {
      j.spec.ttlSecondsAfterFinished = 10;
    },
    'spec.ttlSecondsAfterFinished',
    'The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false cannot have TTLSecondsAfterFinished',
  ],
  strategyCase(
    'deletionStrategy without gate',
    { deletionRules: failedDeleteSelf },
    'RayJobDeletionPolicy feature gate must be enabled to use DeletionStrategy',
    { features: { RayJobDeletionPolicy: false } },
  ),
  strategyCase(
    'rules with shutdown',
    { deletionRules: failedDeleteSelf },
    'The RayJob spec is invalid: spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive',
    { also: shutdown, field: 'spec.deletionStrategy.deletionRules' },
  ),
  strategyCase(
    'legacy and rules',
    { onSuccess: { policy: 'DeleteCluster' }, deletionRules: failedDeleteSelf },
    'The RayJob spec is invalid: Cannot use both legacy onSuccess/onFailure fields and deletionRules simultaneously',
  ),
  strategyCase(
    'legacy incomplete',
    { onSuccess: { policy: 'DeleteCluster' } },
    'both DeletionStrategy.OnSuccess and DeletionStrategy.OnFailure must be set when using the legacy deletion policy fields of DeletionStrategy',
  ),
  strategyCase(
    'legacy DeleteNone with shutdown',
    { onSuccess: { policy: 'DeleteNone' }, onFailure: { policy: 'DeleteCluster' } },
    "The RayJob spec is invalid: shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'",
    { also: shutdown },
  ),
  strategyCase(
    'legacy DeleteWorkers with autoscaling',
    { onSuccess: { policy: 'DeleteWorkers' }, onFailure: { policy: 'DeleteNone' } },
    'DeletionStrategy=DeleteWorkers currently does not support RayCluster with autoscaling enabled',
    {
      also: (j) => {
        j.spec.rayClusterSpec!.enableInTreeAutoscaling = true;
      },
    },
  ),
  strategyCase(
    'empty strategy',
    {},
    'The RayJob spec is invalid: DeletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)',
  ),
  [
    'selector with suspend',
    (j) => {
      j.spec.shutdownAfterJobFinishes = true;
      j.spec.suspend = true;
      j.spec.clusterSelector = { 'ray.io/cluster': 'c' };
    },
    'spec.suspend',
    "The RayJob spec is invalid: the ClusterSelector mode doesn't support the suspend operation",
  ],
  [
    'neither spec nor selector',
    (j) => {
      delete j.spec.rayClusterSpec;
    },
    'spec',
    'The RayJob spec is invalid: one of RayClusterSpec or ClusterSelector must be set',
  ],
  [
    'selector without cluster name',
    (j) => {
      j.spec.clusterSelector = { other: 'x' };
    },
    'spec.clusterSelector',
    'cluster name in ClusterSelector should not be empty',
  ],
  [
    'selector in SidecarMode',
    (j) => {
      j.spec.submissionMode = 'SidecarMode';
      j.spec.clusterSelector = { 'ray.io/cluster': 'c' };
    },
    'spec.clusterSelector',
    'ClusterSelector is not supported in SidecarMode',
  ],
  [
    'selector with backoff (a retry would need a new cluster)',
    (j) => {
      j.spec.clusterSelector = { 'ray.io/cluster': 'c' };
      j.spec.backoffLimit = 1;
    },
    'spec.backoffLimit',
    'The RayJob spec is invalid: BackoffLimit is incompatible with ClusterSelector mode',
  ],
  [
    'interactive with backoff',
    (j) => {
      j.spec.submissionMode = 'InteractiveMode';
      j.spec.backoffLimit = 2;
    },
    'spec.backoffLimit',
    'The RayJob spec is invalid: BackoffLimit is incompatible with InteractiveMode',
  ],
  [
    'sidecar with submitter template',
    (j) => {
      j.spec.submissionMode = 'SidecarMode';
      j.spec.submitterPodTemplate = rayTemplate();
    },
    'spec.submitterPodTemplate',
    "Currently, SidecarMode doesn't support SubmitterPodTemplate",
  ],
  [
    'sidecar with submitterConfig',
    (j) => {
      j.spec.submissionMode = 'SidecarMode';
      j.spec.submitterConfig = { backoffLimit: 1 };
    },
    'spec.submitterConfig',
    "Currently, SidecarMode doesn't support SubmitterConfig",
  ],
  [
    'sidecar head restartPolicy',
    (j) => {
      j.spec.submissionMode = 'SidecarMode';
      j.spec.rayClusterSpec!.headGroupSpec.template.spec!.restartPolicy = 'Always';
    },
    'spec.rayClusterSpec.headGroupSpec.template.spec.restartPolicy',
    'restartPolicy for head Pod should be Never or unset when using SidecarMode',
  ],
  [
    'embedded cluster spec',
    (j) => {
      j.spec.rayClusterSpec!.workerGroupSpecs![0]!.minReplicas = 3;
    },
    'spec.rayClusterSpec.workerGroupSpecs[0].minReplicas',
    'The RayJob spec is invalid: minReplicas 3 greater than maxReplicas 1',
  ],
  [
    'k8s token auth',
    (j) => {
      j.spec.rayClusterSpec!.rayVersion = '2.56.0';
      j.spec.rayClusterSpec!.authOptions = { mode: 'token', enableK8sTokenAuth: true };
    },
    'spec.rayClusterSpec.authOptions.enableK8sTokenAuth',
    'The RayJob spec is invalid: authOptions.enableK8sTokenAuth is not supported for RayJob',
  ],
  [
    'runtimeEnvYAML not YAML',
    (j) => {
      j.spec.runtimeEnvYAML = 'pip: [a\n  b: : c';
    },
    'spec.runtimeEnvYAML',
    '',
  ],
  [
    'activeDeadlineSeconds zero',
    (j) => {
      j.spec.activeDeadlineSeconds = 0;
    },
    'spec.activeDeadlineSeconds',
    'The RayJob spec is invalid: activeDeadlineSeconds must be a positive integer',
  ],
  [
    'negative backoffLimit',
    (j) => {
      j.spec.backoffLimit = -1;
    },
    'spec.backoffLimit',
    'The RayJob spec is invalid: backoffLimit must be a positive integer',
  ],
];

test('spec rules with field and message', async (t) => {
  for (const [name, mutate, field, message, features] of cases) {
    await t.test(name, () => {
      const j = job();
      mutate(j);
      const errs = validateRayJobSpec(j, { features });
      assert.equal(errs.length, 1, JSON.stringify(errs));
      assert.equal(errs[0]!.field, field);
      assert.equal(errs[0]!.reason, 'InvalidRayJobSpec');
      if (message) assert.equal(errs[0]!.message, message);
      else assert.match(errs[0]!.message, /^failed to unmarshal RuntimeEnvYAML: /);
    });
  }
});

test('a valid job passes; metadata is checked first', () => {
  assert.deepEqual(validateRayJob(job()), []);
  const j = job();
  j.metadata.name = 'UPPER';
  j.spec.backoffLimit = -1;
  assert.equal(validateRayJob(j)[0]?.reason, 'InvalidRayJobMetadata');
});

test('deletion rules: all rule errors are reported together', () => {
  const j = job();
  j.spec.clusterSelector = { 'ray.io/cluster': 'c' };
  delete j.spec.rayClusterSpec;
  j.spec.deletionStrategy = {
    deletionRules: [
      { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED' } },
      { policy: 'DeleteSelf', condition: { jobStatus: 'SUCCEEDED', ttlSeconds: 10 } },
      { policy: 'DeleteSelf', condition: { jobStatus: 'SUCCEEDED', ttlSeconds: 20 } },
      { policy: 'DeleteNone', condition: { jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' } },
    ],
  };
  assert.equal(
    validationMessage(validateRayJobSpec(j)),
    [
      "deletionRules[0]: DeletionPolicyType 'DeleteCluster' not supported when ClusterSelector is set",
      "deletionRules[2]: duplicate rule for DeletionPolicyType 'DeleteSelf' and JobStatus 'SUCCEEDED'",
      'deletionRules[3]: exactly one of condition.jobStatus and condition.jobDeploymentStatus must be set',
    ].join('\n'),
  );
});

test('deletion rules: TTLs must not decrease along DeleteWorkers, DeleteCluster, DeleteSelf', () => {
  const j = job();
  j.spec.deletionStrategy = {
    deletionRules: [
      { policy: 'DeleteWorkers', condition: { jobStatus: 'FAILED', ttlSeconds: 30 } },
      { policy: 'DeleteCluster', condition: { jobStatus: 'FAILED', ttlSeconds: 10 } },
      { policy: 'DeleteSelf', condition: { jobStatus: 'FAILED', ttlSeconds: 60 } },
      { policy: 'DeleteSelf', condition: { jobDeploymentStatus: 'Failed', ttlSeconds: 0 } },
    ],
  };
  assert.deepEqual(validateRayJobSpec(j), [
    {
      field: 'spec.deletionStrategy.deletionRules',
      reason: 'InvalidRayJobSpec',
      message: "for JobStatus 'FAILED': DeleteCluster TTL (10) must be >= DeleteWorkers TTL (30)",
    },
  ]);
});

test('runtimeEnvYAML: empty or a mapping is fine', () => {
  assert.equal(runtimeEnvProblem(undefined), undefined);
  assert.equal(runtimeEnvProblem('pip:\n  - requests\nenv_vars:\n  A: "1"\n'), undefined);
  assert.match(runtimeEnvProblem('- a\n- b') ?? '', /must be a YAML mapping/);
});
