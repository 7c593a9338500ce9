import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../api/index.ts';
import { sampleRayService } from '../builders/rayservice/testing.ts';
import { validateCluster } from '../controllers/raycluster/validation.ts';
import { defaultRayJobConfig } from '../controllers/rayjob/config.ts';
import { rayJob } from '../controllers/rayjob/fixtures.test-support.ts';
import { validateRayJob } from '../controllers/rayjob/validation.ts';
import { validateRayServiceFull } from '../controllers/rayservice/validate.ts';
import { admit, validatorFor } from './handler.ts';

/**
 * One RayCluster validator, several callers (docs/webhooks.md, "Where validation lives"). Every case runs
 * through the RayCluster controller's path and through the webhook; rules both run (metadata) must give the
 * same verdict and the same message. Spec rules are KubeRay's controller-side rules (its webhook checks only
 * names): for them the second path is a RayService's and a RayJob's embedded cluster spec, which must reject
 * the same specs with the same text, so a RayService is never accepted while its RayCluster sits in InvalidSpec.
 */

const container = { name: 'ray', image: 'rayproject/ray:2.52.0' };
const tpl = () => ({ spec: { containers: [{ ...container }] } });
const baseSpec = (): RayCluster['spec'] => ({
  rayVersion: '2.52.0',
  headGroupSpec: { rayStartParams: {}, template: tpl() },
  workerGroupSpecs: [{ groupName: 'g', minReplicas: 0, maxReplicas: 2, rayStartParams: {}, template: tpl() }],
});
const cluster = (name: string, spec = baseSpec()): RayCluster => ({
  metadata: { name, namespace: 'ns' },
  spec,
});

function controllerPath(rc: RayCluster): string | undefined {
  return validateCluster(rc, { featureGates: {} })?.message;
}

/** The webhook's verdict and, when it denies, the detail of its first field error. */
function webhookPath(rc: RayCluster): string | undefined {
  const v = validatorFor('/validate-ray-io-v1-raycluster');
  assert.ok(v);
  const out = admit(v, {
    request: { uid: 'u', operation: 'CREATE', namespace: 'ns', object: { ...rc, kind: 'RayCluster' } },
  });
  if (out.allowed) return undefined;
  const cause = out.review.response?.status?.details?.causes?.[0]?.message ?? '';
  return cause.replace(/^Invalid value: ".*?": /, '');
}

const metadataCases: [string, string, string | undefined][] = [
  ['valid name', 'ok', undefined],
  ['53 characters', 'a'.repeat(53), undefined],
  ['54 characters', 'a'.repeat(54), 'RayCluster name should be no more than 53 characters'],
  [
    'starts with a digit',
    '1abc',
    "RayCluster name should be a valid DNS1035 label: [a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]",
  ],
  ['upper case', 'Abc', undefined],
];

test('metadata rules: the controller and the webhook give the same verdict and message', () => {
  for (const [what, name, expected] of metadataCases) {
    const rc = cluster(name);
    const want = what === 'upper case' ? controllerPath(rc) : expected;
    if (what === 'upper case') assert.match(want ?? '', /DNS1035/, what);
    assert.equal(controllerPath(rc), want, `controller: ${what}`);
    assert.equal(webhookPath(rc), want, `webhook: ${what}`);
  }
});

const withHeadEnv = (name: string, value: string) => {
  const s = baseSpec();
  s.headGroupSpec.template.spec.containers[0]!.env = [{ name, value }];
  return s;
};

const specCases: [string, RayCluster['spec'], string | undefined][] = [
  ['a valid spec', baseSpec(), undefined],
  // KubeRay compares the value with exactly "1" or "true": "TRUE" is accepted.
  [
    'RAY_enable_autoscaler_v2=TRUE without autoscaling',
    withHeadEnv('RAY_enable_autoscaler_v2', 'TRUE'),
    undefined,
  ],
  [
    'RAY_enable_autoscaler_v2=true without autoscaling',
    withHeadEnv('RAY_enable_autoscaler_v2', 'true'),
    "environment variable RAY_enable_autoscaler_v2 cannot be set to 'true' when enableInTreeAutoscaling is false. Please set enableInTreeAutoscaling: true to use autoscaler v2",
  ],
  [
    'no head container',
    { ...baseSpec(), headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [] } } } },
    'headGroupSpec should have at least one container',
  ],
  [
    'min above max',
    {
      ...baseSpec(),
      workerGroupSpecs: [{ groupName: 'g', minReplicas: 3, maxReplicas: 2, template: tpl() }],
    },
    'minReplicas 3 greater than maxReplicas 2',
  ],
  [
    'negative minReplicas',
    {
      ...baseSpec(),
      workerGroupSpecs: [{ groupName: 'g', minReplicas: -1, maxReplicas: 2, template: tpl() }],
    },
    'minReplicas (-1) of worker group g must be non-negative',
  ],
  [
    'rocksdb without its gate',
    { ...baseSpec(), gcsFaultToleranceOptions: { backend: 'rocksdb' } },
    undefined, // filled from the controller below: the text must be the same on every path
  ],
];

test('feature gates reach the embedded spec rules as they reach the RayCluster controller', () => {
  const spec = { ...baseSpec(), gcsFaultToleranceOptions: { backend: 'rocksdb' } } as RayCluster['spec'];
  const gates = { GCSFaultToleranceEmbeddedStorage: true };
  assert.equal(validateCluster(cluster('c', structuredClone(spec)), { featureGates: gates }), undefined);
  const rs = sampleRayService();
  (rs.spec as { rayClusterConfig: unknown }).rayClusterConfig = structuredClone(spec);
  assert.equal(validateRayServiceFull(rs, gates), undefined);
  assert.match(validateRayServiceFull(rs)?.message ?? '', /GCSFaultToleranceEmbeddedStorage/);
});

test('spec rules: the RayCluster controller, a RayService and a RayJob reject the same specs with the same text', () => {
  for (const [what, spec, expected] of specCases) {
    const fromController = controllerPath(cluster('c', structuredClone(spec)));
    if (what === 'rocksdb without its gate')
      assert.match(fromController ?? '', /GCSFaultToleranceEmbeddedStorage/);
    else assert.equal(fromController, expected, `controller: ${what}`);

    const rs = sampleRayService();
    (rs.spec as { rayClusterConfig: unknown }).rayClusterConfig = structuredClone(spec);
    const fromService = validateRayServiceFull(rs)?.message;
    assert.equal(fromService === undefined, fromController === undefined, `RayService verdict: ${what}`);
    if (fromController)
      assert.ok(fromService?.endsWith(fromController), `RayService text: ${what}: ${fromService}`);

    const rj = rayJob({ rayClusterSpec: structuredClone(spec) as never });
    const fromJob = validateRayJob(rj, defaultRayJobConfig)?.message;
    assert.equal(fromJob === undefined, fromController === undefined, `RayJob verdict: ${what}`);
    if (fromController) assert.ok(fromJob?.endsWith(fromController), `RayJob text: ${what}: ${fromJob}`);
  }
});
