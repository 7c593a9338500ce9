import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorText, invalidStatus, renderValue } from './admission.ts';
import { admit, validatorFor } from './handler.ts';

const cluster = (name: string, groups: string[]) => ({
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name, namespace: 'ns' },
  spec: {
    headGroupSpec: { template: { spec: { containers: [{ name: 'ray-head', image: 'ray' }] } } },
    workerGroupSpecs: groups.map((groupName) => ({ groupName, template: { spec: { containers: [] } } })),
  },
});

const review = (object: unknown, operation = 'CREATE') => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: { uid: 'u-1', operation, namespace: 'ns', object },
});

const at = (path: string) => {
  const v = validatorFor(path);
  assert.ok(v, `a validator at ${path}`);
  return v;
};

test('the three webhook paths are served, others are not', () => {
  assert.equal(at('/validate-ray-io-v1-raycluster').kind, 'RayCluster');
  assert.equal(at('/validate-ray-io-v1-rayjob').kind, 'RayJob');
  assert.equal(at('/validate-ray-io-v1-rayservice').kind, 'RayService');
  assert.equal(validatorFor('/validate-ray-io-v1-raycronjob'), undefined);
});

test('a valid RayCluster is allowed, echoing the request uid', () => {
  const out = admit(at('/validate-ray-io-v1-raycluster'), review(cluster('ok', ['a', 'b'])));
  assert.equal(out.allowed, true);
  assert.deepEqual(out.review, {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: 'u-1', allowed: true },
  });
});

test('duplicate worker group names are denied at the first repeat, with a 422 Invalid status', () => {
  const obj = cluster('dup', ['a', 'b', 'a', 'b']);
  const out = admit(at('/validate-ray-io-v1-raycluster'), review(obj, 'UPDATE'));
  assert.equal(out.allowed, false);
  const status = out.review.response?.status;
  assert.equal(status?.code, 422);
  assert.equal(status?.reason, 'Invalid');
  const value = JSON.stringify(obj.spec.workerGroupSpecs[2]);
  assert.equal(
    status?.message,
    `RayCluster.ray.io "dup" is invalid: spec.workerGroupSpecs[2]: Invalid value: ${value}: worker group names must be unique`,
  );
  assert.deepEqual(
    status?.details?.causes?.map((c) => c.field),
    ['spec.workerGroupSpecs[2]'],
  );
});

test('a bad name and duplicate groups are both reported, as a list', () => {
  const out = admit(at('/validate-ray-io-v1-raycluster'), review(cluster('Bad_Name', ['x', 'x'])));
  assert.equal(out.allowed, false);
  const message = out.review.response?.status?.message ?? '';
  assert.match(
    message,
    /^RayCluster\.ray\.io "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": /,
  );
  assert.match(message, /RayCluster name should be a valid DNS1035 label/);
  assert.match(
    message,
    /, spec\.workerGroupSpecs\[1\]: Invalid value: .*: worker group names must be unique\]$/,
  );
});

test('RayJob names longer than 47 characters are denied with the field and the value', () => {
  const name = 'j'.repeat(48);
  const out = admit(at('/validate-ray-io-v1-rayjob'), review({ metadata: { name }, spec: {} }));
  assert.equal(out.allowed, false);
  assert.equal(
    out.review.response?.status?.message,
    `RayJob.ray.io "${name}" is invalid: metadata.name: Invalid value: "${name}": The RayJob metadata is invalid: RayJob name should be no more than 47 characters`,
  );
  const ok = admit(
    at('/validate-ray-io-v1-rayjob'),
    review({ metadata: { name: 'j'.repeat(47) }, spec: {} }),
  );
  assert.equal(ok.allowed, true);
});

test('RayService: a bad initializing-timeout annotation is denied on metadata.name', () => {
  const obj = { metadata: { name: 'svc', annotations: { 'ray.io/initializing-timeout': '-5m' } }, spec: {} };
  const out = admit(at('/validate-ray-io-v1-rayservice'), review(obj));
  assert.equal(out.allowed, false);
  assert.match(
    out.review.response?.status?.message ?? '',
    /^RayService\.ray\.io "svc" is invalid: metadata\.name: Invalid value: "svc": RayService annotations is invalid: annotation ray\.io\/initializing-timeout must be a positive duration/,
  );
  const good = { metadata: { name: 'svc', annotations: { 'ray.io/initializing-timeout': '5m' } }, spec: {} };
  assert.equal(admit(at('/validate-ray-io-v1-rayservice'), review(good)).allowed, true);
});

test('DELETE is always allowed; malformed reviews are denied with a 400 and never throw', () => {
  assert.equal(admit(at('/validate-ray-io-v1-rayjob'), review(undefined, 'DELETE')).allowed, true);
  for (const body of [
    null,
    'x',
    {},
    { request: {} },
    { request: { uid: 'u', operation: 'CREATE', object: 7 } },
  ]) {
    const out = admit(at('/validate-ray-io-v1-raycluster'), body);
    assert.equal(out.allowed, false);
    assert.equal(out.review.response?.status?.code, 400);
  }
  const noSpec = admit(at('/validate-ray-io-v1-raycluster'), review({ metadata: { name: 'c' } }));
  assert.equal(noSpec.allowed, true);
});

test('field error rendering follows Kubernetes: quoted strings, bare numbers, null', () => {
  assert.equal(renderValue('a'), '"a"');
  assert.equal(renderValue(3), '3');
  assert.equal(renderValue(undefined), 'null');
  assert.equal(
    fieldErrorText({ field: 'spec.x', value: true, detail: 'no' }),
    'spec.x: Invalid value: true: no',
  );
  assert.equal(invalidStatus('RayJob', 'ray.io', 'n', []).details?.kind, 'RayJob');
});
