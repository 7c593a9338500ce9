import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { RayCluster } from '../../api/index.ts';
import { registerRayClusterMetrics } from './metrics.ts';

const cluster = (name: string, extra: Partial<RayCluster['metadata']>, provisioned?: string): RayCluster =>
  ({
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...extra,
    },
    spec: { headGroupSpec: { template: {} } },
    status: provisioned
      ? { conditions: [{ type: 'RayClusterProvisioned', status: 'True', lastTransitionTime: provisioned }] }
      : {},
  }) as unknown as RayCluster;

test('RayCluster metrics describe the cached clusters at scrape time', async () => {
  const registry = new Registry();
  let clusters = [
    cluster('a', {}, '2026-01-01T00:01:30Z'),
    cluster('b', { labels: { 'ray.io/originated-from-crd': 'RayJob' } }),
  ];
  registerRayClusterMetrics(registry, () => clusters);
  const text = await registry.metrics();
  assert.match(text, /kuberay_cluster_info\{name="a",namespace="ns",uid="uid-a",owner_kind="None"\} 1/);
  assert.match(text, /kuberay_cluster_info\{name="b",namespace="ns",uid="uid-b",owner_kind="RayJob"\} 1/);
  assert.match(
    text,
    /kuberay_cluster_condition_provisioned\{name="a",namespace="ns",uid="uid-a",condition="true"\} 1/,
  );
  assert.match(
    text,
    /kuberay_cluster_condition_provisioned\{name="b",namespace="ns",uid="uid-b",condition="false"\} 1/,
  );
  assert.match(
    text,
    /kuberay_cluster_provisioned_duration_seconds\{name="a",namespace="ns",uid="uid-a"\} 90/,
  );
  assert.doesNotMatch(text, /kuberay_cluster_provisioned_duration_seconds\{name="b"/);
  clusters = [];
  assert.doesNotMatch(await registry.metrics(), /name="a"/, 'a deleted cluster leaves no series');
});
