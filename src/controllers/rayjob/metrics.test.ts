import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { rayJob } from './fixtures.test-support.ts';
import { RayJobMetrics } from './metrics.ts';

test('kuberay_job_* metrics: info and deployment status from the cache, duration set and forgotten', async () => {
  const registry = new Registry();
  const jobs = [rayJob({}, { jobDeploymentStatus: 'Running' })];
  const m = new RayJobMetrics(registry, () => jobs);
  m.observeExecution(jobs[0]!, 'Retrying', 1, 12.5);
  const text = await registry.metrics();
  assert.match(text, /kuberay_job_info\{name="job",namespace="ns",uid="uid-1"\} 1/);
  assert.match(
    text,
    /kuberay_job_deployment_status\{name="job",namespace="ns",uid="uid-1",deployment_status="Running"\} 1/,
  );
  assert.match(
    text,
    /kuberay_job_execution_duration_seconds\{name="job",namespace="ns",uid="uid-1",job_deployment_status="Retrying",retry_count="1"\} 12.5/,
  );
  m.forget('ns', 'job');
  jobs.length = 0;
  const after = await registry.metrics();
  assert.doesNotMatch(after, /kuberay_job_execution_duration_seconds\{/);
  assert.doesNotMatch(after, /kuberay_job_info\{/);
});
