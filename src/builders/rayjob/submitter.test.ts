import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayJob } from '../../api/index.ts';
import { buildRayJobCluster } from './cluster.ts';
import { randomAlphabet, randomSuffix } from './names.ts';
import { buildSubmitterJob, checkMetadataSupported, submitterCommandTokens } from './submitter.ts';

const job = (spec: Partial<RayJob['spec']> = {}): RayJob => ({
  metadata: { name: 'rj', namespace: 'ns', uid: 'u', labels: { l: '1' }, annotations: { a: '2' } },
  spec: {
    entrypoint: '  python script.py --x 1  ',
    rayClusterSpec: {
      headGroupSpec: {
        template: {
          spec: {
            containers: [
              { name: 'ray-head', image: 'ray:2.46', ports: [{ name: 'dashboard', containerPort: 8365 }] },
            ],
          },
        },
      },
    },
    ...spec,
  },
});

const probe = (url: string) =>
  `python -c "import sys, urllib.request; sys.exit(0 if b'success' in urllib.request.urlopen('${url}', timeout=10).read() else 1)"`;

/** Expected command tokens written as one line: the space-separated words of `line`. */
const words = (line: string) => line.split(' ');

/** The options of buildRayJobCluster the tests share: cluster rj-abcde, job id x, no dashboard URL. */
const clusterOptions = (o: Partial<Parameters<typeof buildRayJobCluster>[1]> = {}) => ({
  name: 'rj-abcde',
  jobId: 'x',
  dashboardURL: '',
  loginShell: false,
  sidecarSubmitterRestart: false,
  ...o,
});

test('K8sJobMode command: wait loop, status check, submit --no-wait with all flags, then logs --follow', () => {
  const tokens = submitterCommandTokens(
    job({
      runtimeEnvYAML: 'working_dir: /x\npip: ["a"]\n',
      metadata: { b: '2', a: '1' },
      entrypointNumCpus: 1,
      entrypointNumGpus: 0.5,
      entrypointResources: '{"r": 1}',
    }),
    { mode: 'K8sJobMode', jobId: 'rj-abcde', dashboardURL: 'svc.ns.svc.cluster.local:8265' },
  );
  const A = 'http://svc.ns.svc.cluster.local:8265';
  assert.deepEqual(tokens, [
    'until',
    probe(`${A}/api/gcs_healthz`),
    ...words('>/dev/null 2>&1 ; do echo'),
    `"Waiting for Ray Dashboard GCS to become healthy at ${A} ..."`,
    ...words('; sleep 2 ; done ; if ! ray job status --address'),
    A,
    ...words('rj-abcde >/dev/null 2>&1 ; then ray job submit --address'),
    A,
    ...words('--no-wait --runtime-env-json'),
    '"{\\"pip\\":[\\"a\\"],\\"working_dir\\":\\"/x\\"}"',
    '--metadata-json',
    '"{\\"a\\":\\"1\\",\\"b\\":\\"2\\"}"',
    ...words('--submission-id rj-abcde --entrypoint-num-cpus 1.000000 --entrypoint-num-gpus 0.500000'),
    '--entrypoint-resources',
    '"{\\"r\\": 1}"',
    '--',
    'python script.py --x 1',
    ...words('; fi ; ray job logs --address'),
    A,
    '--follow',
    'rj-abcde',
  ]);
});

test('an http:// dashboard URL gets no second prefix', () => {
  const t = submitterCommandTokens(job(), { mode: 'K8sJobMode', jobId: 'j', dashboardURL: 'http://h:1' });
  assert.ok(t.includes('http://h:1'));
});

test('SidecarMode: localhost with the head dashboard port, no status check unless the gate is on', () => {
  const t = submitterCommandTokens(job(), {
    mode: 'SidecarMode',
    jobId: 'j',
    dashboardURL: '',
    dashboardPort: 8365,
  });
  assert.equal(t[1], probe('http://localhost:8365/api/gcs_healthz'));
  assert.ok(t.includes('http://127.0.0.1:8365'));
  assert.ok(!t.includes('--no-wait') && !t.includes('fi'));
  const g = submitterCommandTokens(job(), {
    mode: 'SidecarMode',
    jobId: 'j',
    dashboardURL: '',
    dashboardPort: 8365,
    sidecarRestart: true,
  });
  assert.ok(g.includes('--no-wait') && g.includes('--follow'));
});

test('metadata needs Ray >= 2.6.0; an unparsable version is an error; no version is fine', () => {
  const withVersion = (v?: string) => {
    const j = job({ metadata: { a: 'b' } });
    if (v) j.spec.rayClusterSpec!.rayVersion = v;
    return j;
  };
  assert.throws(() => checkMetadataSupported(withVersion('2.5.0')), /2\.6\.0/);
  assert.throws(() => checkMetadataSupported(withVersion('banana')), /not a version/);
  checkMetadataSupported(withVersion('2.6.0'));
  checkMetadataSupported(withVersion());
});

test('submitter Job: name, labels, owner, backoffLimit 2 by default and 88 when set, default container', () => {
  const j = buildSubmitterJob(job(), { jobId: 'rj-x', dashboardURL: 'd:8265', loginShell: false });
  assert.equal(j.metadata.name, 'rj');
  assert.equal(j.spec?.backoffLimit, 2);
  assert.deepEqual(j.metadata.labels, {
    'ray.io/originated-from-cr-name': 'rj',
    'ray.io/originated-from-crd': 'RayJob',
    'app.kubernetes.io/created-by': 'kuberay-operator',
  });
  assert.equal(j.metadata.ownerReferences?.[0]?.kind, 'RayJob');
  const c = j.spec!.template.spec!.containers[0]!;
  assert.equal(c.name, 'ray-job-submitter');
  assert.equal(c.image, 'ray:2.46');
  assert.deepEqual(c.command, ['/bin/bash', '-ce', '--']);
  assert.equal(c.args?.length, 1);
  assert.deepEqual(
    c.env?.map((e) => [e.name, e.value]),
    [
      ['PYTHONUNBUFFERED', '1'],
      ['RAY_DASHBOARD_ADDRESS', 'd:8265'],
      ['RAY_JOB_SUBMISSION_ID', 'rj-x'],
    ],
  );
  assert.equal(j.spec!.template.spec!.restartPolicy, 'Never');
  const j88 = buildSubmitterJob(job({ submitterConfig: { backoffLimit: 88 } }), {
    jobId: 'x',
    dashboardURL: 'd',
    loginShell: true,
  });
  assert.equal(j88.spec?.backoffLimit, 88);
  assert.equal(j88.spec!.template.spec!.containers[0]!.command?.[1], '-cel');
});

test('a user template keeps its command and restartPolicy (even an invalid empty one)', () => {
  const j = buildSubmitterJob(
    job({
      submitterPodTemplate: { spec: { containers: [{ name: 'mine', image: 'x', command: ['my-submit'] }] } },
    }),
    { jobId: 'x', dashboardURL: 'd', loginShell: false },
  );
  const c = j.spec!.template.spec!.containers[0]!;
  assert.deepEqual(c.command, ['my-submit']);
  assert.equal(j.spec!.template.spec!.restartPolicy, undefined);
  assert.equal(j.spec!.template.metadata?.labels?.['ray.io/originated-from-crd'], 'RayJob');
});

test('token auth adds RAY_AUTH_MODE and RAY_AUTH_TOKEN from the cluster Secret', () => {
  const j = job();
  const cluster = buildRayJobCluster(j, clusterOptions());
  cluster.spec.authOptions = { mode: 'token' };
  const sj = buildSubmitterJob(j, { jobId: 'x', dashboardURL: 'd', loginShell: false, cluster });
  const env = sj.spec!.template.spec!.containers[0]!.env!;
  assert.deepEqual(env.at(-1), {
    name: 'RAY_AUTH_TOKEN',
    valueFrom: { secretKeyRef: { name: 'rj-abcde', key: 'auth_token' } },
  });
});

test('the RayCluster of a RayJob: labels, annotations, owner, deep-copied spec', () => {
  const j = job();
  const c = buildRayJobCluster(j, clusterOptions());
  assert.deepEqual(c.metadata.labels, {
    l: '1',
    'ray.io/originated-from-cr-name': 'rj',
    'ray.io/originated-from-crd': 'RayJob',
    'ray.io/job-submission-mode': 'K8sJobMode',
  });
  assert.deepEqual(c.metadata.annotations, { a: '2' });
  assert.deepEqual(c.spec, j.spec.rayClusterSpec);
  assert.notEqual(c.spec, j.spec.rayClusterSpec);
});

test('SidecarMode cluster: submitter container appended to the head, restartPolicy Never, annotation', () => {
  const j = job({ submissionMode: 'SidecarMode' });
  const c = buildRayJobCluster(j, clusterOptions({ sidecarSubmitterRestart: true }));
  const pod = c.spec.headGroupSpec.template.spec!;
  assert.deepEqual(
    pod.containers.map((x) => x.name),
    ['ray-head', 'ray-job-submitter'],
  );
  assert.equal(pod.restartPolicy, 'Never');
  assert.equal(pod.containers[1]!.restartPolicy, 'OnFailure');
  assert.equal(c.metadata.annotations?.['ray.io/disable-provisioned-head-restart'], 'true');
  assert.match(pod.containers[1]!.args![0]!, /127\.0\.0\.1:8365/);
});

test('random suffixes use the apimachinery alphabet', () => {
  const s = randomSuffix();
  assert.equal(s.length, 5);
  for (const ch of s) assert.ok(randomAlphabet.includes(ch));
  assert.equal(
    randomSuffix(() => 0),
    'bbbbb',
  );
});

test('a clusterSelector job without submitterPodTemplate runs the selected cluster head image', () => {
  const selecting: RayJob = {
    metadata: { name: 'rj', namespace: 'ns', uid: 'u' },
    spec: { entrypoint: 'python x.py', clusterSelector: { 'ray.io/cluster': 'existing' } },
  };
  const cluster = buildRayJobCluster(job(), clusterOptions({ name: 'existing' }));
  cluster.spec.headGroupSpec.template.spec!.containers[0]!.image = 'rayproject/ray:2.41.0';
  const sj = buildSubmitterJob(selecting, { jobId: 'x', dashboardURL: 'd', loginShell: false, cluster });
  assert.equal(sj.spec!.template.spec!.containers[0]!.image, 'rayproject/ray:2.41.0');
});
