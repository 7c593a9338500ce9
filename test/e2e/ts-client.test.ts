import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, JobNotFoundError, rayJobManifest } from '../../clients/typescript/src/index.ts';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';

/**
 * End to end with real Ray: the TypeScript SDK creates a RayJob (builder), waits for SUCCEEDED (watch), reads
 * the job's driver log through the job submission client (the API server's service proxy to the head's
 * dashboard), then submits, follows, reads, lists and deletes a second Ray job on the same cluster.
 */
const skip = raySkip;
const e2e = useOperatorCluster();
const onFailure = (err: unknown) => e2e.onFailure(err);

test('a RayJob through the SDK reaches SUCCEEDED; its logs and a second job through the job client', {
  skip,
  timeout: 900_000,
}, async () => {
  const client = connect({ kubeconfig: e2e.lc.kubeconfig, namespace: 'default' });
  try {
    const job = await client.jobs.create(
      rayJobManifest({
        name: 'ts-client',
        entrypoint: `python -c "import ray; ray.init(); print('tsclient answer', ray.get(ray.remote(lambda: 6 * 7).remote()))"`,
        // Keep the cluster after the job, to read its logs and submit another job.
        shutdownAfterJobFinishes: false,
        runtimeEnv: { env_vars: { TS_CLIENT: 'yes' } },
        cluster: { head: { rayStartParams: { 'num-cpus': '1' }, cpu: '1', memory: '2Gi' } },
      }),
    );
    const done = await client.waitFor(job, 'succeeded', { timeoutMs: 600_000 }).catch(onFailure);
    assert.equal(done.status?.jobStatus, 'SUCCEEDED');
    assert.equal(done.status?.jobDeploymentStatus, 'Complete');

    const logs = await client.jobLogs(done);
    assert.match(logs, /tsclient answer 42/);

    const jobs = await client.jobSubmission(done.status!.rayClusterName!);
    const info = await jobs.status(done.status!.jobId!);
    assert.equal(info.status, 'SUCCEEDED');
    assert.equal(info.entrypoint, done.spec.entrypoint);

    const id = await jobs.submit({
      entrypoint: "python -c \"import os; print('second job', os.environ['SECOND'])\"",
      runtime_env: { env_vars: { SECOND: 'ok' } },
      metadata: { by: 'ts-client' },
    });
    const second = await jobs.waitUntilTerminal(id, { timeoutMs: 300_000 });
    assert.equal(second.status, 'SUCCEEDED', second.message);
    assert.equal(second.metadata?.by, 'ts-client');
    assert.match(await jobs.logs(id), /second job ok/);
    const listed = (await jobs.list()).map((j) => j.submission_id);
    assert.ok(listed.includes(id) && listed.includes(done.status!.jobId!), JSON.stringify(listed));
    await jobs.stop(id); // already ended: not an error
    await jobs.delete(id);
    await assert.rejects(jobs.status(id), (e: unknown) => e instanceof JobNotFoundError);

    assert.equal(await client.jobs.delete('ts-client'), true);
  } finally {
    client.close();
  }
});
