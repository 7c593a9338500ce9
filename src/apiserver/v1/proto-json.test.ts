import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cluster, ComputeTemplate, JobSubmissionInfo, RayService } from './messages.ts';
import { decodeMessage, encodeMessage, jsonName, timestamp } from './proto-json.ts';

test("JSON names are protoc's lowerCamelCase", () => {
  assert.equal(jsonName('compute_template'), 'computeTemplate');
  assert.equal(jsonName('serve_config_V2'), 'serveConfigV2');
  assert.equal(jsonName('enableIngress'), 'enableIngress');
  assert.ok(RayService.fields.some((f) => f.json === 'serveConfigV2'));
});

test('decoding accepts JSON and proto names, enum names and numbers, numeric strings', () => {
  const c = decodeMessage(
    Cluster,
    {
      name: 'c',
      environment: 'STAGING',
      cluster_spec: { headGroupSpec: { computeTemplate: 't', volumes: [{ volumeType: 'CONFIGMAP' }] } },
    },
    'cluster',
  );
  assert.equal(c.environment, 2);
  const spec = c.clusterSpec as { headGroupSpec: { volumes: { volumeType: number }[] } };
  assert.equal(spec.headGroupSpec.volumes[0]!.volumeType, 3);
  assert.equal(decodeMessage(ComputeTemplate, { cpu: '2' }, 'x').cpu, 2);
});

test('decoding names the field of every error', () => {
  assert.throws(
    () => decodeMessage(Cluster, { nmae: 'x' }, 'cluster'),
    /unknown field "nmae" in cluster \(Cluster\)/,
  );
  assert.throws(
    () => decodeMessage(Cluster, { clusterSpec: { headGroupSpec: { cpu: 1 } } }, 'cluster'),
    /unknown field "cpu" in cluster.clusterSpec.headGroupSpec \(HeadGroupSpec\)/,
  );
  assert.throws(
    () => decodeMessage(ComputeTemplate, { cpu: -1 }, 'computeTemplate'),
    /computeTemplate.cpu: out of range for uint32/,
  );
  assert.throws(() => decodeMessage(ComputeTemplate, { cpu: 1.5 }, 't'), /t.cpu: want an integer \(uint32\)/);
  assert.throws(
    () => decodeMessage(Cluster, { environment: 'QA' }, 'c'),
    /c.environment: want one of DEV, TESTING/,
  );
  assert.throws(() => decodeMessage(Cluster, [], 'c'), /c: want a JSON object for Cluster/);
  assert.throws(() => decodeMessage(Cluster, { name: 3 }, 'c'), /c.name: want a string/);
});

test('encoding omits zero values, writes enums as numbers, 64-bit integers as strings, sorted map keys', () => {
  assert.deepEqual(
    encodeMessage(Cluster, {
      name: 'c',
      user: '',
      environment: 0,
      annotations: { b: '1', a: '2' },
      events: [],
      serviceEndpoint: {},
      clusterSpec: { enableInTreeAutoscaling: false },
      createdAt: timestamp(0),
    }),
    { name: 'c', clusterSpec: {}, annotations: { a: '2', b: '1' }, createdAt: '1970-01-01T00:00:00Z' },
  );
  assert.equal(
    Object.keys(encodeMessage(Cluster, { annotations: { b: '', a: '' } }).annotations as object).join(),
    'a,b',
  );
  assert.deepEqual(encodeMessage(Cluster, { environment: 3 }), { environment: 3 });
  assert.deepEqual(encodeMessage(JobSubmissionInfo, { startTime: 1700000000000, endTime: 0 }), {
    startTime: '1700000000000',
  });
});

test('timestamps are RFC 3339 with fractions only when non-zero', () => {
  assert.equal(timestamp(1700000000), '2023-11-14T22:13:20Z');
  assert.equal(timestamp(1700000000, 500_000_000), '2023-11-14T22:13:20.500Z');
});
