import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { raySkip, useOperatorCluster } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { samplesDir } from '../support/samples.ts';

/**
 * End to end with real Ray: KubeRay's `ray-job.light-weight-submitter.yaml` sample, whose submitter pod runs
 * the image `kuberay/submitter` (`quay.io/kuberay/submitter` in later samples; on the local node: this
 * repository's src/main/submitter.ts). The operator runs as its own process. The RayJob reaches SUCCEEDED
 * and the submitter pod's log shows the job's output, streamed over the dashboard's log-tail WebSocket.
 *
 * One change to the sample: pods on the local node have no route to the internet, so the runtime env drops
 * its `pip` packages (keeping `env_vars`, which the job checks) and the job's code drops its check of the
 * pip-installed `requests` version. Resources and image tags are as in the sample (the node maps
 * `rayproject/ray:*` to the Ray venv and reports 32 CPUs; nothing is enforced).
 */
const skip = raySkip;
const ns = 'default';

const e2e = useOperatorCluster();

// biome-ignore lint/suspicious/noExplicitAny: untyped manifests, read field by field
type Doc = Record<string, any>;

/** The sample, adapted for a node without internet access (see the file comment). */
function sample(): { rayJob: Doc; configMap: Doc } {
  const docs = parseAllDocuments(
    readFileSync(join(samplesDir, 'ray-job.light-weight-submitter.yaml'), 'utf8'),
  )
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
  const rayJob = docs.find((d) => d.kind === 'RayJob')!;
  const configMap = docs.find((d) => d.kind === 'ConfigMap')!;
  const submitter = rayJob.spec.submitterPodTemplate.spec.containers[0];
  // v1.5.0 names the image kuberay/submitter:nightly; later samples quay.io/kuberay/submitter:<version>.
  assert.match(submitter.image, /^(quay\.io\/)?kuberay\/submitter:/);
  assert.deepEqual(submitter.command, ['/submitter']);
  const args: string[] = submitter.args;
  const envAt = args.indexOf('--runtime-env-json') + 1;
  const runtimeEnv = JSON.parse(args[envAt]!);
  delete runtimeEnv.pip;
  args[envAt] = JSON.stringify(runtimeEnv);
  const code: string = configMap.data['sample_code.py'];
  configMap.data['sample_code.py'] = code
    .split('\n')
    .filter((l) => !l.includes('requests'))
    .join('\n');
  return { rayJob, configMap };
}

const onFailure = (err: unknown) => e2e.onFailure(err);

test('the light-weight submitter sample runs to SUCCEEDED on real Ray; the submitter pod log shows the job output', {
  skip,
}, async () => {
  const { rayJob, configMap } = sample();
  const name: string = rayJob.metadata.name;
  await e2e.lc.client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap });
  await e2e.lc.client.request('POST', `/apis/ray.io/v1/namespaces/${ns}/rayjobs`, { body: rayJob });
  const done = await eventually(
    async () => {
      const rj = await e2e.lc.client.request<Doc>('GET', `/apis/ray.io/v1/namespaces/${ns}/rayjobs/${name}`);
      assert.equal(rj.status?.jobDeploymentStatus, 'Complete', JSON.stringify(rj.status));
      return rj;
    },
    { timeoutMs: 600_000, intervalMs: 2000 },
  ).catch(onFailure);
  assert.equal(done.status.jobStatus, 'SUCCEEDED');
  const pods = await e2e.lc.client.request<{ items: Doc[] }>('GET', `/api/v1/namespaces/${ns}/pods`, {
    query: { labelSelector: `job-name=${name}` },
  });
  assert.ok(pods.items.length >= 1, 'the submitter Job has a pod');
  const pod = pods.items.find((p) => p.status?.phase === 'Succeeded') ?? pods.items[0]!;
  const log = await eventually(
    async () => {
      const text = await e2e.lc.client.request<string>(
        'GET',
        `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/log`,
        { query: { container: 'my-custom-rayjob-submitter' } },
      );
      assert.equal(typeof text, 'string');
      assert.match(text, /test_counter got 5/);
      return text;
    },
    { timeoutMs: 30_000, intervalMs: 1000 },
  );
  assert.match(log, new RegExp(`SUCC -- Job ${done.status.jobId} submitted`));
  assert.match(log, /SUCC -- The log stream of job .* closed normally/);
  assert.equal(pod.status?.phase, 'Succeeded', 'the submitter pod exited 0');
});
