import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterHeaders } from './get-cluster.ts';
import { nodeHeaders, nodeRow } from './get-node.ts';
import { workerGroupHeaders, workerGroupRow } from './get-workergroup.ts';

test('the cluster, node and worker-group tables print the resource columns in KubeRay order', () => {
  assert.deepEqual(clusterHeaders.slice(4, 8), ['CPUs', 'GPUs', 'TPUs', 'Memory']);
  assert.deepEqual(nodeHeaders(false), [
    'Name',
    'CPUs',
    'GPUs',
    'TPUs',
    'Memory',
    'Cluster',
    'Type',
    'Worker Group',
    'Age',
  ]);
  assert.deepEqual(workerGroupHeaders(true), [
    'Namespace',
    'Name',
    'Min',
    'Max',
    'Replicas',
    'CPUs',
    'GPUs',
    'TPUs',
    'Memory',
    'Cluster',
  ]);
  const requests = { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': 1, 'google.com/tpu': 4 };
  const pod = {
    metadata: {
      name: 'rc-head',
      namespace: 'ns',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { 'ray.io/cluster': 'rc', 'ray.io/node-type': 'head' },
    },
    spec: { containers: [{ name: 'ray-head', resources: { requests } }] },
  };
  assert.deepEqual(nodeRow(pod, false, Date.parse('2026-01-01T00:05:00Z')), [
    'rc-head',
    '2',
    '1',
    '4',
    '4Gi',
    'rc',
    'head',
    '',
    '5m',
  ]);
  const group = {
    groupName: 'w',
    replicas: 2,
    minReplicas: 1,
    maxReplicas: 3,
    template: { spec: { containers: [{ name: 'ray-worker', resources: { requests } }] } },
  };
  assert.deepEqual(workerGroupRow({ namespace: 'ns', cluster: 'rc', group, readyReplicas: 1 }, false), [
    'w',
    '1',
    '3',
    '1/2',
    '4',
    '2',
    '8',
    '8Gi',
    'rc',
  ]);
});
