import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32HexEncode, clusterSpecHash, partialClusterSpecHash, stableJson } from './hash.ts';
import { sampleRayService } from './testing.ts';

test('base32hex matches the RFC 4648 test vectors, with padding', () => {
  const enc = (s: string) => base32HexEncode(Buffer.from(s));
  const vectors: [input: string, encoded: string][] = [
    ['', ''],
    ['f', 'CO======'],
    ['fo', 'CPNG===='],
    ['foo', 'CPNMU==='],
    ['foob', 'CPNMUOG='],
    ['fooba', 'CPNMUOJ1'],
    ['foobar', 'CPNMUOJ1E8======'],
  ];
  for (const [input, encoded] of vectors) assert.equal(enc(input), encoded, input);
});

test('stableJson sorts keys and drops undefined', () => {
  assert.equal(stableJson({ b: 1, a: { d: undefined, c: [1, 'x'] } }), '{"a":{"c":[1,"x"]},"b":1}');
});

test("the hash is KubeRay v1.5.0's for the same spec (value printed by KubeRay's Go code)", () => {
  // scripts/gen-go-field-order/cmd/kuberay-hash on sampleRayService(); scripts/gen-go-field-order.test.ts
  // compares with Go live for KubeRay's samples.
  assert.equal(clusterSpecHash(sampleRayService().spec.rayClusterConfig), '31Q46J56GKM4PJRBUV51BE0LOFHVHVV1');
});

test('the hash ignores replicas, min/max replicas and workersToDelete, as KubeRay v1.5.0', () => {
  const spec = sampleRayService().spec.rayClusterConfig;
  const h = clusterSpecHash(spec);
  assert.match(h, /^[0-9A-V]{32}$/);
  const scaled = structuredClone(spec);
  const g = scaled.workerGroupSpecs![0]!;
  g.replicas = 7;
  g.minReplicas = 0;
  g.maxReplicas = 100;
  g.scaleStrategy = { workersToDelete: ['pod-a'] };
  assert.equal(clusterSpecHash(scaled), h);
  // KubeRay v1.5.0 hashes tolerations and suspend (a newer KubeRay clears them): so do we, for take-over.
  const tolerated = structuredClone(spec);
  tolerated.workerGroupSpecs![0]!.template!.spec!.tolerations = [{ key: 'k' }];
  assert.notEqual(clusterSpecHash(tolerated), h);
});

test('the hash changes when a meaningful field changes', () => {
  const spec = sampleRayService().spec.rayClusterConfig;
  const changed = { ...structuredClone(spec), rayVersion: '2.47.0' };
  assert.notEqual(clusterSpecHash(changed), clusterSpecHash(spec));
});

test('partial hash over the first n groups equals the hash of a spec with only those groups', () => {
  const spec = sampleRayService().spec.rayClusterConfig;
  const appended = structuredClone(spec);
  appended.workerGroupSpecs!.push({ ...structuredClone(spec.workerGroupSpecs![0]!), groupName: 'second' });
  assert.equal(partialClusterSpecHash(appended, 1), clusterSpecHash(spec));
  assert.notEqual(clusterSpecHash(appended), clusterSpecHash(spec));
  const noGroups = { ...structuredClone(spec), workerGroupSpecs: undefined };
  assert.equal(partialClusterSpecHash(spec, 0), clusterSpecHash(noGroups));
});
