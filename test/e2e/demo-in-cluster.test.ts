import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { binaryPath } from '../../src/devcluster/binaries.ts';
import { loadKubeconfig } from '../../src/k8s/kubeconfig.ts';
import { RestClient } from '../../src/k8s/rest.ts';
import { raySkip } from '../support/e2e.ts';
import { eventually } from '../support/eventually.ts';
import { runTool } from '../support/tool.ts';

/**
 * `scripts/demo up --in-cluster`: the operator installed with the real helm from charts/kuberay-operator, running
 * as that Deployment on the local node (its image mapped to this checkout's operator), and reconciling a
 * RayCluster to ready with real Ray. The demo runs in its own state folder (KUBERAY_TS_DEMO_DIR), so it does
 * not touch a demo cluster someone else has up.
 */
const repo = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'krts-demo-'));
const kubeconfig = join(dir, 'kubeconfig');
const env = { ...process.env, KUBERAY_TS_DEMO_DIR: dir };
let client: RestClient | undefined;
let output = '';

function demo(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(join(repo, 'node_modules/.bin/node'), [join(repo, 'src/main/demo.ts'), ...args], {
      env,
      cwd: repo,
    });
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const sample = join(dir, 'head-only.yaml');
writeFileSync(
  sample,
  `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: in-cluster-demo
spec:
  headGroupSpec:
    rayStartParams:
      num-cpus: "1"
    template:
      spec:
        containers:
          - name: ray-head
            image: rayproject/ray:2.52.0
            resources:
              requests: { cpu: 500m, memory: 1Gi }
`,
);

before(async () => {
  if (raySkip) return;
  const code = await demo(['up', '--in-cluster', '--no-wait', `--sample=${sample}`]);
  assert.equal(code, 0, `scripts/demo up --in-cluster failed:\n${output}`);
  client = new RestClient(loadKubeconfig(kubeconfig));
});

after(async () => {
  client?.close();
  if (raySkip) return;
  const code = await demo(['down']);
  if (code !== 0) console.error(`scripts/demo down failed:\n${output}`);
  rmSync(dir, { recursive: true, force: true });
});

interface Deployment {
  metadata: { name: string; namespace: string };
  spec: { template: { spec: { containers: { image: string }[] } } };
  status?: { availableReplicas?: number };
}

test('the operator runs as the chart Deployment on the local node and reconciles a RayCluster to ready', {
  skip: raySkip,
}, async () => {
  const c = client!;
  // What `kubectl ray version` does: find the operator Deployment by its chart label, in any namespace.
  const deps = await c.request<{ items: Deployment[] }>('GET', '/apis/apps/v1/deployments', {
    query: { labelSelector: 'app.kubernetes.io/name=kuberay-operator' },
  });
  assert.equal(deps.items.length, 1, 'one kuberay-operator Deployment');
  const dep = deps.items[0]!;
  assert.equal(dep.metadata.namespace, 'default');
  assert.match(dep.spec.template.spec.containers[0]!.image, /^quay\.io\/kuberay\/operator:/);
  assert.equal(dep.status?.availableReplicas, 1);
  const pods = await c.request<{
    items: {
      metadata: { name: string };
      spec: { nodeName?: string };
      status?: { phase?: string; containerStatuses?: { imageID: string }[] };
    }[];
  }>('GET', '/api/v1/namespaces/default/pods', {
    query: { labelSelector: 'app.kubernetes.io/name=kuberay-operator' },
  });
  assert.equal(pods.items.length, 1);
  const operatorPod = pods.items[0]!.metadata.name;
  assert.equal(pods.items[0]!.spec.nodeName, 'local-node');
  assert.equal(pods.items[0]!.status?.phase, 'Running');
  assert.equal(pods.items[0]!.status?.containerStatuses?.[0]?.imageID, 'local-node://kuberay-ts operator');
  assert.ok(!existsSync(join(dir, 'operator.pid')), 'no operator process on the host');

  await eventually(
    async () => {
      const rc = await c.request<{ status?: { state?: string } }>(
        'GET',
        '/apis/ray.io/v1/namespaces/default/rayclusters/in-cluster-demo',
      );
      assert.equal(rc.status?.state, 'ready', `state is ${rc.status?.state}`);
    },
    { timeoutMs: 420_000, intervalMs: 2000 },
  );
  const logs = await runTool(binaryPath('kubectl'), [
    `--kubeconfig=${kubeconfig}`,
    'logs',
    'deploy/kuberay-operator',
  ]);
  assert.equal(logs.code, 0, logs.stderr);
  // The only operator is the pod: it holds the leader lease (its identity starts with the pod name).
  const lease = await c.request<{ spec?: { holderIdentity?: string } }>(
    'GET',
    '/apis/coordination.k8s.io/v1/namespaces/default/leases/ray-operator-leader',
  );
  assert.ok(
    lease.spec?.holderIdentity?.startsWith(`${operatorPod}_`),
    `leader ${lease.spec?.holderIdentity}, operator pod ${operatorPod}`,
  );
  assert.doesNotMatch(logs.stdout, /forbidden/i, 'the chart RBAC covers what the operator did');
});

test('the demo starts the KubeRay API server and prints its URL and a token that work as printed', {
  skip: raySkip,
}, async () => {
  const token = /export TOKEN=(\S+)/.exec(output)?.[1];
  const url =
    /curl -s -H "Authorization: Bearer \$TOKEN" (http:\/\/127\.0\.0\.1:\d+)\/apis\/v1\/namespaces\/default\/clusters/.exec(
      output,
    )?.[1];
  assert.ok(token && url, `the demo prints the API server's URL and a token:\n${output}`);
  const list = await fetch(`${url}/apis/v1/namespaces/default/clusters`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(list.status, 200);
  // The sample RayCluster was applied with kubectl: not the API server's, so not in its list.
  assert.deepEqual(await list.json(), {});
  const anonymous = await fetch(`${url}/apis/v1/namespaces/default/clusters`);
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  // demo-user may use Ray in default only.
  const elsewhere = await fetch(`${url}/apis/v1/namespaces/kube-system/clusters`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(elsewhere.status, 403);
  await elsewhere.body?.cancel();
});
