import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Condition, RayCluster, WorkerGroupSpec } from '../../api/index.ts';
import { specWarning, validateCluster, validateClusterSpec, validateStatus } from './validation.ts';

// The controller path of the one RayCluster validator (src/api/validation): metadata, spec and upgradeStrategy.
const validateMetadata = (r: RayCluster) => validateCluster(r, { featureGates: {} });
const validateSpec = validateClusterSpec;
const validateUpgradeStrategy = (r: RayCluster) => validateCluster(r, { featureGates: {} });

const tpl = () => ({ spec: { containers: [{ name: 'ray', image: 'ray' }] } });
function rc(spec: Partial<RayCluster['spec']> = {}, meta: Partial<RayCluster['metadata']> = {}): RayCluster {
  return {
    metadata: { name: 'c', namespace: 'ns', ...meta },
    spec: {
      headGroupSpec: { template: tpl() },
      workerGroupSpecs: [{ groupName: 'g', minReplicas: 0, maxReplicas: 2, template: tpl() }],
      ...spec,
    },
  };
}
const gates = { featureGates: {} };
const msg = (r: RayCluster) => validateSpec(r, gates)?.message;

test('metadata: name length and DNS-1035', () => {
  assert.equal(
    validateMetadata(rc({}, { name: 'a'.repeat(54) }))?.message,
    'RayCluster name should be no more than 53 characters',
  );
  assert.match(
    validateMetadata(rc({}, { name: '1abc' }))?.message ?? '',
    /^RayCluster name should be a valid DNS1035 label/,
  );
  assert.equal(validateMetadata(rc()), undefined);
});

test('spec rules in KubeRay order with its messages', () => {
  assert.equal(validateSpec(rc(), gates), undefined);
  assert.equal(
    msg(rc({ headGroupSpec: { template: { spec: { containers: [] } } } })),
    'headGroupSpec should have at least one container',
  );
  assert.equal(
    msg(
      rc({
        headGroupSpec: { template: tpl(), resources: { CPU: '1' }, rayStartParams: { 'num-cpus': '1' } },
      }),
    ),
    'resource fields should not be set in both rayStartParams and Resources for Head group; please use only one',
  );
  assert.equal(
    msg(rc({ workerGroupSpecs: [{ groupName: 'g', template: tpl() } as WorkerGroupSpec] })),
    'worker group g must set both minReplicas and maxReplicas when autoscaling is disabled',
  );
  assert.match(
    msg(rc({ workerGroupSpecs: [{ groupName: 'g', minReplicas: 3, maxReplicas: 2, template: tpl() }] })) ??
      '',
    /minReplicas 3 greater than maxReplicas 2/,
  );
  assert.match(
    msg(
      rc({
        enableInTreeAutoscaling: true,
        workerGroupSpecs: [{ groupName: 'g', suspend: true, template: tpl() } as WorkerGroupSpec],
      }),
    ) ?? '',
    /cannot be suspended with Autoscaler enabled/,
  );
  assert.match(msg(rc({ authOptions: { mode: 'token' }, rayVersion: '2.46.0' })) ?? '', /2\.52\.0/);
  assert.equal(validateSpec(rc({ authOptions: { mode: 'token' }, rayVersion: '2.52.0' }), gates), undefined);
  assert.match(
    msg(rc({ gcsFaultToleranceOptions: { backend: 'rocksdb' } })) ?? '',
    /GCSFaultToleranceEmbeddedStorage/,
  );
  assert.equal(
    validateSpec(rc({ gcsFaultToleranceOptions: { backend: 'rocksdb' } }), {
      featureGates: { GCSFaultToleranceEmbeddedStorage: true },
    }),
    undefined,
  );
});

test('upgrade strategy, status and the non-blocking v1 warning', () => {
  assert.equal(validateUpgradeStrategy(rc({ upgradeStrategy: { type: 'Recreate' } })), undefined);
  assert.equal(
    validateUpgradeStrategy(
      rc({ upgradeStrategy: { type: 'Recreate' } }, { labels: { 'ray.io/originated-from-crd': 'RayJob' } }),
    )?.message,
    'upgradeStrategy cannot be set when RayCluster is created by RayJob',
  );
  const both = rc();
  both.status = {
    conditions: [
      { type: 'RayClusterSuspending', status: 'True', reason: 'x', message: '' },
      { type: 'RayClusterSuspended', status: 'True', reason: 'x', message: '' },
    ] as Condition[],
  };
  assert.equal(validateStatus(both)?.reason, 'InvalidRayClusterStatus');
  const v1 = rc({ enableInTreeAutoscaling: true, autoscalerOptions: { version: 'v1' } });
  v1.spec.workerGroupSpecs![0]!.template.spec.restartPolicy = 'Always';
  assert.match(
    specWarning(v1) ?? '',
    /restartPolicy for worker groups \[g\] should be Never or unset when using autoscaler V1/,
  );
});

test('the controller rejects rayStartParams keys that are not plain option names', () => {
  const head = rc({ headGroupSpec: { template: tpl(), rayStartParams: { 'x; touch /tmp/x': '1' } } });
  assert.deepEqual(validateSpec(head, gates), {
    reason: 'InvalidRayClusterSpec',
    message: `rayStartParams key "x; touch /tmp/x" of Head group is not a plain option name: only letters, digits, '-' and '_' are allowed`,
  });
  const worker = rc({
    workerGroupSpecs: [
      { groupName: 'g', minReplicas: 0, maxReplicas: 2, template: tpl(), rayStartParams: { '$(id)': '1' } },
    ],
  });
  assert.match(msg(worker) ?? '', /^rayStartParams key "\$\(id\)" of g group is not a plain option name/);
  assert.equal(
    msg(rc({ headGroupSpec: { template: tpl(), rayStartParams: { 'num-cpus': '1' } } })),
    undefined,
  );
});

test('a rayStartParams value with a NUL byte is rejected (found by the fuzz suite)', () => {
  const head = rc({ headGroupSpec: { template: tpl(), rayStartParams: { 'node-name': 'a\u0000b' } } });
  assert.equal(
    msg(head),
    'rayStartParams["node-name"] of Head group contains a NUL character, which no command line can carry',
  );
});
