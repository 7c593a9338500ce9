import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRayServiceCluster } from './cluster.ts';
import { clusterSpecHash } from './hash.ts';
import { sampleRayService } from './testing.ts';

test('the cluster copies labels and annotations and adds origin, hash, group count and version', () => {
  const rs = sampleRayService('my-rs', 'ns1');
  rs.metadata.labels = { team: 'a' };
  rs.metadata.annotations = { note: 'x' };
  const rc = buildRayServiceCluster(rs, 'my-rs-abcde', { kuberayVersion: 'v9' });
  assert.equal(rc.metadata.name, 'my-rs-abcde');
  assert.equal(rc.metadata.namespace, 'ns1');
  assert.deepEqual(rc.metadata.labels, {
    team: 'a',
    'ray.io/originated-from-cr-name': 'my-rs',
    'ray.io/originated-from-crd': 'RayService',
  });
  assert.deepEqual(rc.metadata.annotations, {
    note: 'x',
    'ray.io/hash-without-replicas-and-workers-to-delete': clusterSpecHash(rs.spec.rayClusterConfig),
    'ray.io/num-worker-groups': '1',
    'ray.io/kuberay-version': 'v9',
  });
  assert.deepEqual(rc.metadata.ownerReferences, [
    {
      apiVersion: 'ray.io/v1',
      kind: 'RayService',
      name: 'my-rs',
      uid: 'uid-my-rs',
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  assert.deepEqual(rc.spec, rs.spec.rayClusterConfig);
  assert.notEqual(rc.spec, rs.spec.rayClusterConfig, 'the spec is a copy');
});

test('incremental mode with an active cluster clears worker replicas but keeps the hash of the goal', () => {
  const rs = sampleRayService();
  const rc = buildRayServiceCluster(rs, 'rs-x', { kuberayVersion: 'v', clearWorkerReplicas: true });
  assert.equal(rc.spec.workerGroupSpecs![0]!.replicas, undefined);
  assert.equal(rs.spec.rayClusterConfig.workerGroupSpecs![0]!.replicas, 1);
  assert.equal(
    rc.metadata.annotations!['ray.io/hash-without-replicas-and-workers-to-delete'],
    clusterSpecHash(rs.spec.rayClusterConfig),
  );
});
