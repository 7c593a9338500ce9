import assert from 'node:assert/strict';
import test from 'node:test';
import * as promClient from 'prom-client';
import { collectDefaultMetrics, Registry } from './prom.ts';

test('the default metrics are the ones prom-client registers, by name, type and labels', async () => {
  const ours = new Registry();
  collectDefaultMetrics({ register: ours, eventLoopMonitoringPrecision: 1000 });
  const theirs = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: theirs, eventLoopMonitoringPrecision: 1000 });
  const shape = async (r: Registry) =>
    (await r.getMetricsAsJSON()).map((m) => ({
      name: m.name,
      type: m.type,
      labels: [...new Set(m.values.flatMap((v) => Object.keys(v.labels)))].sort(),
    }));
  assert.deepEqual(await shape(ours), await shape(theirs));
  ours.clear();
  theirs.clear();
});

test('process_cpu_seconds_total is the sum of the user and system counters, which count from registration', async () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  let x = 0;
  for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
  const metrics = await registry.getMetricsAsJSON();
  const get = (name: string) => metrics.find((m) => m.name === name)?.values[0]?.value ?? Number.NaN;
  const user = get('process_cpu_user_seconds_total');
  const system = get('process_cpu_system_seconds_total');
  assert.ok(x > 0 && user > 0, `user ${user}`);
  assert.ok(Math.abs(user + system - get('process_cpu_seconds_total')) < 1e-9);
  registry.clear();
});
