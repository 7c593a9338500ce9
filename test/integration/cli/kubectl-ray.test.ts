/**
 * `kubectl ray` against a real kube-apiserver (KWOK nodes) with our operator: create, get, scale, add a
 * worker group, delete, and bad input (one `Error:` line, exit 1, nothing created or changed).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { KubeClient } from '../../../src/k8s/client.ts';
import { loadKubeconfig } from '../../../src/k8s/kubeconfig.ts';
import { Resources } from '../../../src/k8s/resources.ts';
import { eventually, testCluster, testNamespace } from '../../support/cluster.ts';
import { installCrds } from '../../support/crds.ts';
import { startOperatorProcess } from '../../support/operator-process.ts';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'kubectl-ray');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function ray(kubeconfig: string, args: readonly string[], input = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(bin, [...args, `--kubeconfig=${kubeconfig}`], {
      env: { ...process.env, KUBECONFIG: '', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(input);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The test control plane with the CRDs, a fresh namespace and a client of the test's own, closed at the end. */
async function setUp(
  t: TestContext,
  prefix: string,
): Promise<{ kubeconfig: string; ns: string; kube: KubeClient }> {
  const { kubeconfig, client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, prefix);
  const kube = KubeClient.fromAccess(loadKubeconfig(kubeconfig), { qps: 0 });
  t.after(() => kube.rest.close());
  return { kubeconfig, ns, kube };
}

/** The cells of a kubectl table, split on runs of 2+ spaces (no cell here contains two spaces). */
const rows = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/ {2,}/));

function assertFails(r: Run, re: RegExp): void {
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, re);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
}

const small = [
  '--head-cpu',
  '100m',
  '--head-memory',
  '256Mi',
  '--worker-cpu',
  '200m',
  '--worker-memory',
  '512Mi',
];

test('create, get, scale, add a worker group and delete a RayCluster', { timeout: 240_000 }, async (t) => {
  const { kubeconfig, ns, kube } = await setUp(t, 'cli');
  startOperatorProcess(t, { kubeconfig, watchNamespace: ns });
  const k = (args: string[], input?: string) => ray(kubeconfig, [...args, '-n', ns], input);

  // create
  const created = await k(['create', 'cluster', 'demo', ...small, '--labels', 'team=ml']);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, 'Created Ray cluster: demo\n');
  const obj = await kube.get<{
    metadata: { labels?: Record<string, string>; managedFields?: { manager: string }[] };
  }>(Resources.rayClusters, ns, 'demo');
  assert.equal(obj.metadata.labels?.team, 'ml');
  assert.ok(obj.metadata.managedFields?.some((f) => f.manager === 'ray-kubectl-plugin'));
  assertFails(
    await k(['create', 'cluster', 'demo', ...small]),
    new RegExp(`^Error: the Ray cluster demo in namespace ${ns} already exists\n$`),
  );

  // get cluster: KubeRay's columns, filled from the status the operator writes
  await eventually(
    async () => {
      const r = await k(['get', 'cluster']);
      assert.equal(r.code, 0, r.stderr);
      const [head, row] = rows(r.stdout);
      assert.deepEqual(head, [
        'NAME',
        'NAMESPACE',
        'DESIRED WORKERS',
        'AVAILABLE WORKERS',
        'CPUS',
        'GPUS',
        'TPUS',
        'MEMORY',
        'CONDITION',
        'STATUS',
        'AGE',
      ]);
      assert.deepEqual(row!.slice(0, 8), ['demo', ns, '1', '1', '300m', '0', '0', '768Mi']);
      assert.equal(row![9], 'ready');
    },
    { timeoutMs: 120_000 },
  );
  const json = await k(['get', 'cluster', 'demo', '-o', 'json']);
  assert.equal(JSON.parse(json.stdout).items[0].metadata.name, 'demo');
  assert.match(
    (await k(['get', 'clusters', 'demo', '-o', 'yaml'])).stdout,
    /^apiVersion: v1\nitems:\n- apiVersion: ray.io\/v1\n {2}kind: RayCluster\n/,
  );
  assertFails(
    await k(['get', 'cluster', 'nope']),
    new RegExp(`^Error: Ray cluster nope not found in namespace ${ns}\n$`),
  );

  // get nodes
  const nodes = await k(['get', 'nodes', '-c', 'demo']);
  assert.equal(nodes.code, 0, nodes.stderr);
  const [nhead, ...nrows] = rows(nodes.stdout);
  assert.deepEqual(nhead, [
    'NAME',
    'CPUS',
    'GPUS',
    'TPUS',
    'MEMORY',
    'CLUSTER',
    'TYPE',
    'WORKER GROUP',
    'AGE',
  ]);
  assert.deepEqual(nrows.map((r) => r.slice(1, 8)).sort(), [
    ['100m', '0', '0', '256Mi', 'demo', 'head', 'headgroup'],
    ['200m', '0', '0', '512Mi', 'demo', 'worker', 'default-group'],
  ]);
  assert.deepEqual(
    rows((await ray(kubeconfig, ['get', 'node', '-A', '-c', 'demo'])).stdout)[0]!.slice(0, 2),
    ['NAMESPACE', 'NAME'],
  );
  assertFails(
    await k(['get', 'node', 'no-such-pod']),
    new RegExp(`^Error: Ray node no-such-pod not found in namespace ${ns} in any Ray cluster\n$`),
  );

  // get workergroups, scale
  const groups = await k(['get', 'workergroups']);
  assert.deepEqual(rows(groups.stdout), [
    ['NAME', 'MIN', 'MAX', 'REPLICAS', 'CPUS', 'GPUS', 'TPUS', 'MEMORY', 'CLUSTER'],
    ['default-group', '0', '2147483647', '1/1', '200m', '0', '0', '512Mi', 'demo'],
  ]);
  const scaled = await k([
    'scale',
    'cluster',
    'demo',
    '-w',
    'default-group',
    '--replicas',
    '2',
    '--max-replicas',
    '5',
  ]);
  assert.equal(scaled.code, 0, scaled.stderr);
  assert.match(
    scaled.stdout,
    new RegExp(
      `^Scaled worker group default-group in Ray cluster demo in namespace ${ns} from 1 to 2 replicas\n`,
    ),
  );
  await eventually(
    async () =>
      assert.deepEqual(rows((await k(['get', 'workergroup', 'default-group'])).stdout)[1]!.slice(0, 5), [
        'default-group',
        '0',
        '5',
        '2/2',
        '400m',
      ]),
    { timeoutMs: 60_000 },
  );
  assert.match(
    (await k(['scale', 'cluster', 'demo', '-w', 'default-group', '-r', '2'])).stdout,
    /already has 2 replicas. Skipping/,
  );

  // bad scale input changes nothing
  // The spec is what bad input must not change (the operator may still write the status meanwhile, which
  // moves the resourceVersion).
  const specOf = async () => {
    const rc = await kube.get<{ metadata: { generation?: number }; spec?: unknown }>(
      Resources.rayClusters,
      ns,
      'demo',
    );
    return { generation: rc.metadata.generation, spec: rc.spec };
  };
  const before = await specOf();
  assertFails(
    await k(['scale', 'cluster', 'demo', '-w', 'default-group', '--replicas', '-1']),
    /^Error: -r\/--replicas must be a non-negative integer, got -1\n$/,
  );
  assertFails(
    await k(['scale', 'cluster', 'demo', '-w', 'nope', '-r', '1']),
    /^Error: worker group nope not found in Ray cluster demo in namespace .*\. Available worker groups: default-group\n$/,
  );
  assertFails(
    await k(['scale', 'cluster', 'demo', '-w', 'default-group', '-r', '9']),
    /must be between min replicas \(0\) and max replicas \(5\)/,
  );
  assertFails(
    await k(['scale', 'cluster', 'ghost', '-w', 'default-group', '-r', '1']),
    /^Error: failed to scale worker group default-group in Ray cluster ghost in namespace .*: rayclusters.ray.io "ghost" not found\n$/,
  );
  assert.deepEqual(await specOf(), before);

  // create workergroup
  const added = await k([
    'create',
    'workergroup',
    'extra',
    '-c',
    'demo',
    '--worker-cpu',
    '100m',
    '--worker-memory',
    '128Mi',
    '--worker-replicas',
    '0',
    '--worker-min-replicas',
    '0',
  ]);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stdout, `Updated Ray cluster ${ns}/demo with new worker group\n`);
  assert.deepEqual(rows((await k(['get', 'workergroup', 'extra', '-c', 'demo'])).stdout)[1], [
    'extra',
    '0',
    '10',
    '0/0',
    '0',
    '0',
    '0',
    '0',
    'demo',
  ]);
  assertFails(
    await k(['create', 'workergroup', 'extra', '-c', 'demo']),
    /^Error: worker group extra already exists in Ray cluster/,
  );
  assertFails(
    await k(['create', 'workergroup', 'g', '-c', 'ghost']),
    /^Error: error getting Ray cluster: rayclusters.ray.io "ghost" not found\n$/,
  );
  assertFails(
    await k(['get', 'workergroup', 'nope']),
    new RegExp(`^Error: Ray worker group nope not found in namespace ${ns} in any Ray cluster\n$`),
  );

  // version: no KubeRay operator Deployment here
  const v = await k(['version']);
  assert.equal(v.code, 0);
  assert.match(
    v.stdout,
    /^kubectl ray plugin version: v\S+ \(kuberay-ts\)\nwarning: KubeRay operator installation cannot be found: no KubeRay operator deployments found in any namespace/,
  );

  // delete: prompt, then --yes
  const cancel = await k(['delete', 'demo'], 'n\n');
  assert.equal(
    cancel.stdout,
    'Are you sure you want to delete the following resources?\n- raycluster/demo\n(y/yes/n/no)Canceled deletion.\n',
  );
  assert.ok(await kube.getOrUndefined(Resources.rayClusters, ns, 'demo'));
  const deleted = await k(['delete', 'raycluster/demo', '--yes']);
  assert.equal(deleted.stdout, 'Deleted raycluster demo\n');
  await eventually(async () =>
    assert.equal(await kube.getOrUndefined(Resources.rayClusters, ns, 'demo'), undefined),
  );
  assertFails(
    await k(['delete', 'demo', '-y']),
    /^Error: failed to delete raycluster\/demo: rayclusters.ray.io "demo" not found\n$/,
  );
});

test('bad input creates nothing: invalid flags, a missing --file, an unreachable API server', {
  timeout: 120_000,
}, async (t) => {
  const { kubeconfig, ns, kube } = await setUp(t, 'cli-bad');
  const k = (args: string[]) => ray(kubeconfig, [...args, '-n', ns]);
  assertFails(
    await k(['create', 'cluster', 'x', '--worker-replicas', '-1']),
    /^Error: --worker-replicas must be a non-negative integer, got -1\n$/,
  );
  assertFails(
    await k(['create', 'cluster', 'x', '--head-memory', 'lots']),
    /^Error: head-memory is not a valid resource quantity: "lots"\n$/,
  );
  assertFails(
    await k(['create', 'cluster', 'x', '--file', '/nonexistent.yaml']),
    /^Error: failed to parse config file: config file \/nonexistent.yaml does not exist\n$/,
  );
  assertFails(
    await k(['create', 'cluster', 'x', '--file', '/etc/hostname', '--head-cpu', '1']),
    /^Error: the following flags are incompatible with --file: \[head-cpu\]\n$/,
  );
  assertFails(await k(['create', 'cluster', 'x', '--autoscaler', 'v9']), /must be one of "v1" or "v2"/);
  assert.deepEqual((await kube.list(Resources.rayClusters, { namespace: ns })).items, []);
  const down = await ray(kubeconfig, [
    'get',
    'cluster',
    '-n',
    ns,
    '--server',
    'https://127.0.0.1:1',
    '--insecure-skip-tls-verify',
  ]);
  assertFails(
    down,
    /^Error: unable to retrieve Ray clusters for namespace .*: cannot reach the Kubernetes API server \(GET \/apis\/ray.io\/v1\/namespaces\/.*\/rayclusters\): connect ECONNREFUSED 127.0.0.1:1\n$/,
  );
});

test('--as, --as-group and --as-uid impersonate: Kubernetes decides as for that user; --request-timeout', {
  timeout: 120_000,
}, async (t) => {
  const { kubeconfig, ns, kube } = await setUp(t, 'cli-as');
  // A group that may read RayClusters in this namespace, and nothing else.
  await kube.create(Resources.roles, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'ray-reader', namespace: ns },
    rules: [{ apiGroups: ['ray.io'], resources: ['rayclusters'], verbs: ['get', 'list'] }],
  } as never);
  await kube.create(Resources.roleBindings, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'ray-reader', namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ray-reader' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ray-readers' }],
  } as never);
  const k = (args: string[]) => ray(kubeconfig, [...args, '-n', ns]);

  // The user alone has no rights; with the group it may list but not create.
  assertFails(await k(['get', 'cluster', '--as', 'alice']), /forbidden: User "alice" cannot list/);
  await eventually(async () => {
    const r = await k(['get', 'cluster', '--as', 'alice', '--as-group', 'ray-readers', '--as-uid', 'u-1']);
    assert.equal(r.code, 0, r.stderr);
  });
  assertFails(
    await k(['create', 'cluster', 'x', '--as', 'alice', '--as-group', 'other', '--as-group', 'ray-readers']),
    /^Error: failed to create Ray cluster: rayclusters.ray.io "x" is forbidden: User "alice" cannot patch resource "rayclusters"/,
  );
  assert.deepEqual((await kube.list(Resources.rayClusters, { namespace: ns })).items, []);
  assertFails(
    await k(['get', 'cluster', '--as-group', 'ray-readers']),
    /^Error: requesting uid or groups for impersonation requires a user name \(--as\)\n$/,
  );

  assert.equal((await k(['get', 'cluster', '--request-timeout', '5s'])).code, 0);
  assert.equal((await k(['get', 'cluster', '--request-timeout=0'])).code, 0);
  assertFails(
    await k(['get', 'cluster', '--request-timeout', 'soon']),
    /^Error: invalid --request-timeout "soon"/,
  );
});

test('log --link gke prints a Cloud Logging link (project from a GKE context), downloads nothing', {
  timeout: 120_000,
}, async (t) => {
  const { kubeconfig, client } = await testCluster();
  await installCrds(client);
  const ns = await testNamespace(t, 'cli-link');
  const dir = mkdtempSync(join(tmpdir(), 'cli-link-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The same cluster under a GKE-style context name.
  const text = readFileSync(kubeconfig, 'utf8');
  const current = /^current-context:\s*(\S+)/m.exec(text)![1]!;
  const gke = join(dir, 'gke.kubeconfig');
  writeFileSync(gke, text.split(current).join('gke_my-proj_us-central1_prod'));
  await client.request('POST', `/apis/ray.io/v1/namespaces/${ns}/rayclusters`, {
    body: {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: 'c1' },
      spec: {
        headGroupSpec: {
          rayStartParams: {},
          template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } },
        },
      },
    },
  });
  const r = await ray(gke, ['log', 'c1', '--link', 'gke', '--node-type', 'head', '-n', ns]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'a GKE context: no warning (and no head pod to check for fluentbit)');
  const url = r.stdout.trim();
  assert.match(url, /^https:\/\/console\.cloud\.google\.com\/logs\/query;query=\S+\?project=my-proj$/);
  const query = decodeURIComponent(url.slice(url.indexOf('=') + 1, url.indexOf('?')).replace(/\+/g, ' '));
  assert.match(query, new RegExp(`resource.labels.namespace_name="${ns}"`));
  assert.match(
    query,
    /labels\."k8s-pod\/ray_io\/cluster"="c1"\nlabels\."k8s-pod\/ray_io\/node-type"="head"$/,
  );

  const plain = await ray(kubeconfig, ['log', 'c1', '--link', 'gke', '-n', ns]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stderr, /does not appear to be a GKE cluster/);
  assert.ok(!plain.stdout.includes('?project='));
  assert.ok(!existsSync(join(process.cwd(), 'c1')), 'no log directory was made');
  assertFails(
    await ray(kubeconfig, ['log', 'c1', '--link', 'aws', '-n', ns]),
    /^Error: unsupported link type "aws", only "gke" is supported\n$/,
  );
  assertFails(
    await ray(kubeconfig, ['log', 'c1', '--link', 'gke', '--out-dir', dir, '-n', ns]),
    /^Error: --out-dir is incompatible with --link\n$/,
  );
});

// A RayJob names its cluster in its status a reconcile before the cluster exists. No operator runs here: the test
// plays it, naming the cluster, waiting while `job submit` looks for it, then creating it ready. KubeRay's plugin
// fails at that moment with "not found"; ours waits, and goes on to the dashboard (unreachable here).
test('job submit waits for a RayJob’s cluster named in its status before it exists', {
  timeout: 120_000,
}, async (t) => {
  const { kubeconfig, ns, kube } = await setUp(t, 'cli-race');
  const wd = mkdtempSync(join(tmpdir(), 'cli-race-'));
  t.after(() => rmSync(wd, { recursive: true, force: true }));
  writeFileSync(join(wd, 'main.py'), 'print("hi")\n');
  const submitting = ray(kubeconfig, [
    'job',
    'submit',
    '--name',
    'race-job',
    '--working-dir',
    wd,
    '--address',
    'http://127.0.0.1:1',
    '-n',
    ns,
    // Before `--`: the helper's own --kubeconfig lands after it, in the entrypoint.
    `--kubeconfig=${kubeconfig}`,
    '--',
    'python',
    'main.py',
  ]);
  // (If the plugin exits first, its output says why.)
  const exited = submitting.then((r) => {
    throw new Error(`job submit exited before the RayJob was seen: ${JSON.stringify(r)}`);
  });
  await Promise.race([
    exited,
    eventually(async () => assert.ok(await kube.getOrUndefined(Resources.rayJobs, ns, 'race-job')), {
      timeoutMs: 30_000,
    }),
  ]);
  exited.catch(() => {});
  await kube.patchStatus(Resources.rayJobs, ns, 'race-job', { status: { rayClusterName: 'race-cluster' } });
  // The plugin reads the RayJob every second, then the cluster: give it time to find the cluster missing.
  await new Promise((r) => setTimeout(r, 3000));
  await kube.create(Resources.rayClusters, {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { namespace: ns, name: 'race-cluster' },
    spec: {
      headGroupSpec: {
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray-head', image: 'x' }] } },
      },
    },
  });
  await kube.patchStatus(Resources.rayClusters, ns, 'race-cluster', { status: { state: 'ready' } });
  const r = await submitting;
  assert.match(r.stdout, /Checking Cluster Status for cluster race-cluster\.\.\./);
  assert.doesNotMatch(r.stderr, /Failed to get cluster information/);
  // It went on past the cluster: to the dashboard address, which nothing answers.
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /127\.0\.0\.1:1/);
});
