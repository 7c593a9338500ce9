import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GoTypes, goAnyJson, goJson, goString } from './go-json.ts';

// Expected strings below were printed by Go's json.Marshal (scripts/gen-go-field-order/cmd/kuberay-hash).

test('strings are HTML-escaped like Go', () => {
  assert.equal(goString('a<b>&c\u2028"\\\n'), '"a\\u003cb\\u003e\\u0026c\\u2028\\"\\\\\\n"');
  assert.equal(goString('\ud800'), '"\ufffd"');
});

test('a RayClusterSpec is written in Go field order with Go empty-value rules', () => {
  const spec = {
    rayVersion: '2.46.0',
    headGroupSpec: {
      template: {
        spec: {
          containers: [
            {
              name: 'a',
              resources: {
                limits: { cpu: '1.5', m: '1024Mi', g: 1, e: '0.5Gi' },
                requests: { cpu: '2000m', x: '1e3', h: '100n', o: '1536', b: '3Ki' },
              },
            },
          ],
        },
      },
    },
    workerGroupSpecs: [{ groupName: 'g', template: {} }],
  };
  assert.equal(
    goJson(spec, 'RayClusterSpec'),
    '{"headGroupSpec":{"template":{"metadata":{},"spec":{"containers":[{"name":"a","resources":' +
      '{"limits":{"cpu":"1500m","e":"512Mi","g":"1","m":"1Gi"},' +
      '"requests":{"b":"3Ki","cpu":"2","h":"100n","o":"1536","x":"1e3"}}}]}},"rayStartParams":null},' +
      '"rayVersion":"2.46.0","workerGroupSpecs":[{"groupName":"g","minReplicas":null,"maxReplicas":null,' +
      '"rayStartParams":null,"template":{"metadata":{},"spec":{"containers":null}},"scaleStrategy":{}}]}',
  );
});

test('a head Service is written with its non-pointer status, and times in UTC seconds', () => {
  const spec = {
    headGroupSpec: {
      template: { metadata: { creationTimestamp: '2024-05-01T10:00:00.250+02:00' } },
      headService: { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }] } },
    },
  };
  assert.equal(
    goJson(spec, 'RayClusterSpec'),
    '{"headGroupSpec":{"template":{"metadata":{"creationTimestamp":"2024-05-01T08:00:00Z"},' +
      '"spec":{"containers":null}},"headService":{"metadata":{"name":"s"},"spec":{"ports":' +
      '[{"port":80,"targetPort":"http"}]},"status":{"loadBalancer":{}}},"rayStartParams":null}}',
  );
});

test('the encoder reads field order, omitempty, omitzero and inline from the type description', () => {
  const types: GoTypes = {
    roots: { RayClusterSpec: 't.Root' },
    types: {
      't.Root': [
        { name: 'z', type: 'string' },
        { name: '', type: 't.Embedded', inline: true },
        { name: 'a', type: '[]int', omitempty: true },
        { name: 'n', type: 'map:string', omitzero: true },
        { name: 'p', type: '*t.Embedded' },
      ],
      't.Embedded': [{ name: 'e', type: 'bool' }],
    },
  };
  assert.equal(goJson({ a: [], n: {} }, 'RayClusterSpec', { types }), '{"z":"","e":false,"n":{},"p":null}');
  assert.equal(
    goJson({ a: [1], e: true }, 'RayClusterSpec', { types }),
    '{"z":"","e":true,"a":[1],"p":null}',
  );
});

test('a value Go could not decode is an error naming the field', () => {
  assert.throws(
    () => goJson({ workerGroupSpecs: {} }, 'RayClusterSpec'),
    /RayClusterSpec\.workerGroupSpecs: expected a list/,
  );
});

test("goAnyJson writes an untyped value as Go's json.Marshal does: keys sorted bytewise at every level, HTML escaped", () => {
  assert.equal(
    goAnyJson({ pip: ['b', 'a'], env_vars: { Z: '1', A: '<&>' }, '10': 1, '9': true, x: null, u: undefined }),
    '{"10":1,"9":true,"env_vars":{"A":"\\u003c\\u0026\\u003e","Z":"1"},"pip":["b","a"],"x":null}',
  );
});
