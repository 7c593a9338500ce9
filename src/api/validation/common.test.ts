import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, parseGenericVersion, versionAtLeast } from './common.ts';
import { parseGoDuration } from './duration.ts';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from './k8s-names.ts';

test('generic versions: two or more numbers, optional v, trailing text ignored', () => {
  assert.deepEqual(parseGenericVersion('2.52.0')?.components, [2, 52, 0]);
  assert.deepEqual(parseGenericVersion('v2.56')?.components, [2, 56]);
  assert.deepEqual(parseGenericVersion('2.53.0rc1')?.components, [2, 53, 0]);
  assert.equal(parseGenericVersion('2'), undefined);
  assert.equal(parseGenericVersion('nightly'), undefined);
  assert.equal(parseGenericVersion('02.1'), undefined);
  assert.ok(compareVersions(parseGenericVersion('2.10')!, parseGenericVersion('2.9.9')!) > 0);
  assert.ok(versionAtLeast('2.52', '2.52.0'));
  assert.ok(!versionAtLeast('2.51.9', '2.52.0'));
  assert.ok(!versionAtLeast(undefined, '2.52.0'));
});

test('Go durations', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('-2m'), -120_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('5d'), undefined);
  assert.equal(parseGoDuration(''), undefined);
});

test('Kubernetes label and name syntax', () => {
  assert.deepEqual(isQualifiedName('example.com/my-key'), []);
  assert.deepEqual(isQualifiedName('my_key.1'), []);
  assert.equal(isQualifiedName('a/b/c').length, 1);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.match(isQualifiedName('-bad')[0]!, /^name part must consist of alphanumeric characters/);
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('x'.repeat(64)), ['must be no more than 63 characters']);
  assert.deepEqual(isDNS1123Label('gpu-group'), []);
  assert.equal(isDNS1123Label('GPU').length, 1);
});

test('validators never throw on malformed objects (no CRD, or garbage in)', async () => {
  const v = await import('./index.ts');
  const junk: unknown[] = [
    {},
    { metadata: {} },
    { metadata: { name: 'x' }, spec: {} },
    { spec: { headGroupSpec: {} } },
  ];
  for (const o of junk) {
    const any = o as never;
    assert.ok(Array.isArray(v.validateRayCluster(any)));
    assert.ok(Array.isArray(v.validateRayClusterWebhook(any)));
    assert.ok(Array.isArray(v.validateRayClusterUpgradeStrategy(any)));
    assert.ok(Array.isArray(v.validateRayJob({ metadata: { name: 'ok' }, ...(o as object) } as never)));
    assert.ok(Array.isArray(v.validateRayService({ metadata: { name: 'ok' }, ...(o as object) } as never)));
    assert.ok(Array.isArray(v.validateRayCronJobSpec(any)));
  }
  assert.equal(
    v.validateRayCluster({ metadata: { name: 'c' }, spec: {} } as never)[0]?.message,
    'headGroupSpec should have at least one container',
  );
});
