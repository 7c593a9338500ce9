import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../../src/api/index.ts';
import type { KubeObject } from '../../../src/k8s/objects.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually } from '../../support/cluster.ts';
import { baseCluster, clusterPods, createCluster, startOperator } from './harness.ts';

function historyCluster(name: string, ns: string): RayCluster {
  const rc = baseCluster(name, ns);
  rc.spec.workerGroupSpecs![0]!.replicas = 1;
  rc.spec.historyServerOptions = {
    collectorOptions: {
      image: 'quay.io/kuberay/collector:nightly',
      env: [
        { name: 'STORAGE_BACKEND', value: 'GCS' },
        { name: 'GCS_BUCKET', value: 'bucket' },
      ],
    },
  };
  return rc;
}

test('history collector: head and worker pods run ray-history-collector beside Ray, sharing /tmp/ray', async (t) => {
  const op = await startOperator(t, { featureGates: { RayClusterHistoryServer: true } });
  await createCluster(op, historyCluster('hist', op.ns));
  const pods = await eventually(async () => {
    const p = await clusterPods(op, 'hist');
    assert.equal(p.length, 2);
    return p;
  });
  for (const pod of pods) {
    const head = pod.metadata.labels?.['ray.io/node-type'] === 'head';
    const names = pod.spec.containers.map((c) => c.name);
    assert.deepEqual(names, [head ? 'ray-head' : 'ray-worker', 'ray-history-collector']);
    const [ray, collector] = pod.spec.containers;
    const env = (c: typeof ray, n: string) => c?.env?.find((e) => e.name === n);
    assert.equal(env(collector, 'RAY_ROLE')?.value, head ? 'Head' : 'Worker');
    assert.equal(env(collector, 'STORAGE_BACKEND')?.value, 'GCS');
    const podIp = env(collector, 'POD_IP')?.valueFrom as { fieldRef?: { fieldPath?: string } } | undefined;
    assert.equal(podIp?.fieldRef?.fieldPath, 'status.podIP');
    assert.equal(
      env(ray, 'RAY_DASHBOARD_AGGREGATOR_AGENT_EVENTS_EXPORT_ADDR')?.value,
      'http://localhost:8084/v1/events',
    );
    for (const c of [ray, collector])
      assert.ok(c?.volumeMounts?.some((m) => m.name === 'ray-logs' && m.mountPath === '/tmp/ray'));
    assert.ok(pod.spec.volumes?.some((v) => v.name === 'ray-logs'));
  }
});

test('history collector with the gate off: the spec is rejected and no pods are created', async (t) => {
  const op = await startOperator(t);
  await createCluster(op, historyCluster('nohist', op.ns));
  await eventually(async () => {
    const list = await op.client.list(Resources.events, { namespace: op.ns });
    const e = list.items.find((x) => x.reason === 'InvalidRayClusterSpec') as
      | (KubeObject & { message?: string; note?: string })
      | undefined;
    assert.ok(e, 'no InvalidRayClusterSpec event yet');
    assert.match(String(e.message ?? e.note), /RayClusterHistoryServer/);
  });
  assert.equal((await clusterPods(op, 'nohist')).length, 0);
});
