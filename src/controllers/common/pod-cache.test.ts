import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../api/index.ts';
import { defaultBuilderConfig } from '../../builders/raycluster/config.ts';
import { buildHeadPod } from '../../builders/raycluster/pod.ts';
import { slimPod } from './pod-cache.ts';

const headPod = (): Pod => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'rc-head-x',
      namespace: 'ns',
      labels: { 'ray.io/cluster': 'rc', 'ray.io/node-type': 'head' },
      annotations: { 'ray.io/ft-enabled': 'false' },
      ownerReferences: [
        { apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'rc', uid: 'u', controller: true },
      ],
      managedFields: [{ manager: 'kuberay-operator', operation: 'Update' }],
    },
    spec: {
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      nodeName: 'node-1',
      serviceAccountName: 'rc',
      volumes: [{ name: 'shared-mem', emptyDir: { medium: 'Memory' } }],
      tolerations: [{ key: 'k', operator: 'Exists' }],
      affinity: { nodeAffinity: {} },
      containers: [
        {
          name: 'ray-head',
          image: 'rayproject/ray:2.52.0',
          command: ['/bin/bash', '-c', '--'],
          args: ['ulimit -n 65536; ray start --head'],
          env: [{ name: 'RAY_CLUSTER_NAME', value: 'rc' }],
          ports: [{ name: 'gcs', containerPort: 6379 }],
          resources: { limits: { cpu: '1' } },
          volumeMounts: [{ name: 'shared-mem', mountPath: '/dev/shm' }],
          livenessProbe: { exec: { command: ['bash', '-c', 'wget ...'] } },
          readinessProbe: { exec: { command: ['bash', '-c', 'wget ...'] } },
        },
      ],
      initContainers: [{ name: 'wait', image: 'busybox', command: ['sleep', '1'] }],
    },
    status: {
      phase: 'Running',
      podIP: '10.0.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'ray-head', ready: true, restartCount: 2, state: { running: {} } }],
    },
  };
  return pod;
};

test('slimPod keeps what the controllers read: metadata, status, restart policy, scheduler, container names', () => {
  const pod = headPod();
  const before = JSON.stringify(pod);
  const slim = slimPod(pod);
  assert.equal(JSON.stringify(pod), before, 'the watched object is not changed');
  assert.equal(slim.metadata.managedFields, undefined);
  const { managedFields: _m, ...meta } = pod.metadata;
  assert.deepEqual(slim.metadata, meta);
  assert.deepEqual(slim.status, pod.status);
  assert.equal(slim.spec.restartPolicy, 'Always');
  assert.equal(slim.spec.schedulerName, 'default-scheduler');
  assert.equal(slim.spec.nodeName, 'node-1');
  assert.equal(slim.spec.serviceAccountName, 'rc');
  assert.deepEqual(slim.spec.containers, [
    {
      name: 'ray-head',
      image: 'rayproject/ray:2.52.0',
      ports: [{ name: 'gcs', containerPort: 6379 }],
      resources: { limits: { cpu: '1' } },
    },
  ]);
  assert.deepEqual(slim.spec.initContainers, [{ name: 'wait', image: 'busybox' }]);
  for (const k of ['volumes', 'tolerations', 'affinity']) assert.equal(slim.spec[k], undefined, k);
});

test('slimPod makes a real head pod several times smaller', () => {
  const rc = {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name: 'rc', namespace: 'ns', uid: 'u' },
    spec: {
      headGroupSpec: {
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
      },
    },
  };
  const pod = buildHeadPod(rc as never, defaultBuilderConfig);
  const full = JSON.stringify(pod).length;
  const slim = JSON.stringify(slimPod(pod)).length;
  assert.ok(slim * 2 < full, `slim ${slim} bytes vs full ${full}`);
});
