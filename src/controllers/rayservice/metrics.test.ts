import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { sampleRayService } from '../../builders/rayservice/testing.ts';
import { registerRayServiceMetrics } from './metrics.ts';

test('the collector metrics describe the cached RayServices', async () => {
  const registry = new Registry();
  const rs = sampleRayService('svc', 'ns');
  rs.status = {
    conditions: [
      { type: 'Ready', status: 'True', reason: 'NonZeroServeEndpoints', message: '', lastTransitionTime: '' },
    ],
  };
  let items = [rs];
  registerRayServiceMetrics(registry, () => items);
  let text = await registry.metrics();
  assert.match(text, /kuberay_service_info\{name="svc",namespace="ns",uid="uid-svc"\} 1/);
  assert.match(
    text,
    /kuberay_service_condition_ready\{name="svc",namespace="ns",uid="uid-svc",condition="true"\} 1/,
  );
  assert.match(text, /kuberay_service_condition_upgrade_in_progress\{[^}]*condition="false"\} 1/);
  items = [];
  text = await registry.metrics();
  assert.doesNotMatch(text, /name="svc"/);
});
