/**
 * `scripts/demo [up|down|status]`: the main job. `up` brings up the whole local cluster (control plane,
 * controller-manager, scheduler, a local node that runs pods as processes with real Ray, the CRDs and the
 * operator), applies the demo RayJob, follows it to the end and prints its result.
 */

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { binaryPath, cacheDir } from '../devcluster/binaries.ts';
import { devClusterCapacity } from '../devcluster/node/capacity.ts';
import { rayVenvDir } from '../devcluster/node/images.ts';
import { killPid } from '../devcluster/process.ts';
import { loadKubeconfig } from '../k8s/kubeconfig.ts';
import { RestClient } from '../k8s/rest.ts';
import { freePort } from '../lib/ports.ts';
import { chartFeatureGates, parseDemoArgs } from './demo-args.ts';
import { exitWhenDone } from './startup.ts';

const repo = resolve(import.meta.dirname, '../..');
/** The cluster's state (kubeconfig, pids, logs); KUBERAY_TS_DEMO_DIR runs a second, separate demo cluster. */
const devDir = process.env.KUBERAY_TS_DEMO_DIR || join(cacheDir(), 'dev-cluster');
const kubeconfig = join(devDir, 'kubeconfig');
const operatorPid = join(devDir, 'operator.pid');
const apiserverPid = join(devDir, 'apiserver.pid');
const sample = join(repo, 'config/samples/ray-job.demo.yaml');

const help = `Usage: scripts/demo [up|down|status] [options] [-- OPERATOR-FLAGS...]

  up (default)   Start the local cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, a local
                 node running pods as processes with real Ray), install the CRDs, start the operator, submit the
                 demo RayJob (config/samples/ray-job.demo.yaml) and follow it until it finishes.
  down           Stop the operator, the local node and the control plane.
  status         Show the nodes, Ray resources and pods.

Options:
  --sample FILE    Apply this manifest instead of the demo RayJob (a RayJob, RayCluster or RayService).
  --timeout SECS   How long to wait for the RayJob (default 900).
  --no-wait        Start everything and apply the sample, then return.
  --feature-gates GATES
                   Feature gates for the operator, as its own flag takes them (e.g. RayCronJob=true,
                   GCSFaultToleranceEmbeddedStorage=true).
  --in-cluster     Run the operator in the cluster, as users install it: 'helm install' of
                   charts/kuberay-operator (the real helm), whose Deployment runs on the local node with its
                   image (quay.io/kuberay/operator) mapped to this checkout's operator. Without it the
                   operator runs as a process on the host.
  -h, --help       Show this help.

Anything after -- is passed to the host operator unchanged (any flag of 'node src/main/operator.ts --help' except
the ones the demo sets: --kubeconfig, --metrics-addr, --health-probe-bind-address). Bad flags or gates are
refused before anything starts. Example:
  scripts/demo --feature-gates=RayCronJob=true -- --reconcile-concurrency=4

KUBERAY_TS_DEMO_DIR=DIR keeps the cluster's state in DIR instead of $KUBERAY_TS_CACHE/dev-cluster (a second
cluster beside the first; 'down' and 'status' need the same DIR).
`;

const step = (msg: string) => console.log(`\n==> ${msg}`);
const info = (msg: string) => console.log(`    ${msg}`);

function node(args: readonly string[]): void {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: repo });
  if (r.status !== 0) throw new Error(`'node ${args.join(' ')}' failed (exit ${r.status})`);
}

function kubectl(args: readonly string[], capture = false): string {
  const r = spawnSync(binaryPath('kubectl'), [`--kubeconfig=${kubeconfig}`, ...args], {
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr ?? ''}`.trim());
  return r.stdout ?? '';
}

/**
 * Starts `src/main/<program>.ts` in the background, its output appended
 * to `<program>.log` in the dev directory, and records its pid in `pidFile`.
 */
function startProgram(program: string, name: string, pidFile: string, args: readonly string[]): void {
  const logFile = join(devDir, `${program}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [join(repo, `src/main/${program}.ts`), ...args], {
    detached: true,
    stdio: ['ignore', fd, fd],
    cwd: repo,
  });
  closeSync(fd);
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  info(`${name} running (pid ${child.pid}); log: ${logFile}`);
}

/** Stops the program `pidFile` names, if any. */
async function stopProgram(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  await killPid(Number(readFileSync(pidFile, 'utf8')), 15_000);
  rmSync(pidFile, { force: true });
}

async function startOperator(extra: readonly string[]): Promise<void> {
  await stopOperator();
  startProgram('operator', 'operator', operatorPid, [
    `--kubeconfig=${kubeconfig}`,
    `--metrics-addr=127.0.0.1:${await freePort()}`,
    `--health-probe-bind-address=127.0.0.1:${await freePort()}`,
    '--enable-leader-election=false',
    // The operator runs on the host, where cluster DNS names do not resolve: reach Ray dashboards through the
    // API server's service proxy, as KubeRay does out of cluster.
    '--use-kubernetes-proxy',
    '--log-stdout-encoder=console',
    ...extra,
  ]);
}

const stopOperator = () => stopProgram(operatorPid);

/**
 * Starts the KubeRay API server (secure mode) on a free port, and a ServiceAccount `demo-user` allowed to use
 * Ray in the default namespace; returns the URL and a token for it.
 */
async function startApiServer(): Promise<{ url: string; token: string }> {
  await stopApiServer();
  const port = await freePort();
  startProgram('apiserver', 'API server', apiserverPid, [
    `--kubeconfig=${kubeconfig}`,
    `--httpPortFlag=127.0.0.1:${port}`,
    `--rpcPortFlag=127.0.0.1:${await freePort()}`,
    '--log-format=console',
  ]);
  const client = new RestClient(loadKubeconfig(kubeconfig));
  try {
    const ignoreExists = (e: unknown) => {
      if (!(e instanceof Error && /already exists/.test(e.message))) throw e;
    };
    await client
      .request('POST', '/api/v1/namespaces/default/serviceaccounts', {
        body: { metadata: { name: 'demo-user' } },
      })
      .catch(ignoreExists);
    await client
      .request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
        body: {
          metadata: { name: 'demo-ray-user' },
          rules: [
            { apiGroups: ['ray.io'], resources: ['*'], verbs: ['*'] },
            { apiGroups: ['', 'events.k8s.io'], resources: ['configmaps', 'events'], verbs: ['*'] },
            {
              apiGroups: [''],
              resources: ['services', 'services/proxy'],
              verbs: ['get', 'list', 'create', 'delete'],
            },
          ],
        },
      })
      .catch(ignoreExists);
    await client
      .request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
        body: {
          metadata: { name: 'demo-ray-user' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'demo-ray-user' },
          subjects: [{ kind: 'ServiceAccount', name: 'demo-user', namespace: 'default' }],
        },
      })
      .catch(ignoreExists);
    const tr = await client.request<{ status: { token: string } }>(
      'POST',
      '/api/v1/namespaces/default/serviceaccounts/demo-user/token',
      {
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: 86400 },
        },
      },
    );
    return { url: `http://127.0.0.1:${port}`, token: tr.status.token };
  } finally {
    client.close();
  }
}

const stopApiServer = () => stopProgram(apiserverPid);

interface RayJobLike {
  status?: {
    jobDeploymentStatus?: string;
    jobStatus?: string;
    message?: string;
    rayClusterName?: string;
    reason?: string;
  };
}

async function follow(name: string, timeoutSecs: number): Promise<boolean> {
  const client = new RestClient(loadKubeconfig(kubeconfig));
  const t0 = Date.now();
  let last = '';
  try {
    while ((Date.now() - t0) / 1000 < timeoutSecs) {
      const job = await client
        .request<RayJobLike>('GET', `/apis/ray.io/v1/namespaces/default/rayjobs/${name}`)
        .catch(() => ({}) as RayJobLike);
      const s = job.status ?? {};
      const pods = await client
        .request<{ items: { status?: { phase?: string } }[] }>('GET', '/api/v1/namespaces/default/pods')
        .catch(() => ({ items: [] }));
      const running = pods.items.filter((p) => p.status?.phase === 'Running').length;
      const line = `deployment=${s.jobDeploymentStatus ?? '-'} job=${s.jobStatus ?? '-'} pods running=${running}/${pods.items.length}${s.message ? ` (${s.message})` : ''}`;
      if (line !== last) {
        info(`[${Math.round((Date.now() - t0) / 1000)}s] ${line}`);
        last = line;
      }
      if (s.jobDeploymentStatus === 'Complete' || s.jobDeploymentStatus === 'Failed') {
        step(
          `RayJob ${name} finished: ${s.jobStatus ?? s.jobDeploymentStatus}${s.reason ? ` (${s.reason})` : ''}`,
        );
        try {
          info('output of the submitter:');
          process.stdout.write(kubectl(['logs', `job/${name}`, '--tail=20'], true).replace(/^/gm, '      '));
        } catch (err) {
          info(`(no submitter log: ${(err as Error).message})`);
        }
        return s.jobStatus === 'SUCCEEDED';
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    step(
      `RayJob ${name} did not finish within ${timeoutSecs}s; see 'scripts/demo status' and ${devDir}/*.log`,
    );
    return false;
  } finally {
    client.close();
  }
}

const chartDir = join(repo, 'charts/kuberay-operator');
const release = 'kuberay-operator';

/** Runs the real helm (cached binary) against the demo cluster, with its own config and cache folders. */
function helm(args: readonly string[]): void {
  const home = join(devDir, 'helm');
  const r = spawnSync(binaryPath('helm'), [...args, `--kubeconfig=${kubeconfig}`], {
    stdio: 'inherit',
    env: {
      ...process.env,
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_DATA_HOME: join(home, 'data'),
    },
  });
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed (exit ${r.status})`);
}

/**
 * `helm upgrade --install` of charts/kuberay-operator into `default`, as KubeRay's docs install it, waiting
 * until its Deployment is available; the chart brings the CRDs. `--feature-gates` becomes the chart's
 * featureGates list.
 */
function installOperatorChart(operatorArgs: readonly string[]): void {
  const gates = operatorArgs.find((a) => a.startsWith('--feature-gates='))?.slice('--feature-gates='.length);
  const values = parseYaml(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as {
    featureGates?: { name: string; enabled: boolean }[];
  };
  // The chart installs the CRDs, unless an earlier `up` without --in-cluster applied them (Helm cannot adopt
  // objects it did not create): then they stay as they are.
  const crd = ['get', 'crd', 'rayclusters.ray.io', '--ignore-not-found'];
  const unowned =
    kubectl([...crd, '-o', 'name'], true).trim() !== '' &&
    kubectl([...crd, '-o', 'jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}'], true).trim() !==
      'Helm';
  helm([
    'upgrade',
    '--install',
    release,
    chartDir,
    '--namespace=default',
    '--wait',
    '--timeout=5m',
    ...(unowned ? ['--set', 'crds.enabled=false'] : []),
    ...(gates
      ? ['--set-json', `featureGates=${JSON.stringify(chartFeatureGates(values.featureGates ?? [], gates))}`]
      : []),
  ]);
  info(`operator: Deployment default/${release} (kubectl logs deploy/${release})`);
}

async function up(opts: {
  sample: string;
  timeout: number;
  wait: boolean;
  operatorArgs: readonly string[];
  inCluster: boolean;
}): Promise<number> {
  mkdirSync(devDir, { recursive: true });
  step('Starting the control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler)');
  node([join(repo, 'src/main/controlplane.ts'), 'up', `--dir=${devDir}`]);
  step(
    'Starting the local node (runs pods as local processes; rayproject/ray images use a local Ray install)',
  );
  // The development capacity (nothing is enforced) so KubeRay samples schedule on a small machine; see
  // docs/local-node.md, Capacity.
  node([
    join(repo, 'src/main/local-node.ts'),
    'up',
    `--kubeconfig=${kubeconfig}`,
    `--dir=${devDir}`,
    `--cpu=${devClusterCapacity.cpu}`,
    `--memory=${devClusterCapacity.memory}`,
  ]);
  if (opts.inCluster) {
    step(
      "Installing the operator and the ray.io CRDs with Helm (charts/kuberay-operator; its pod runs this checkout's operator)",
    );
    await stopOperator();
    installOperatorChart(opts.operatorArgs);
    kubectl(['wait', '--for=condition=Established', '--timeout=180s', 'crd', '--all']);
  } else {
    step('Installing the ray.io CRDs');
    kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(repo, 'config/crd/bases')]);
    kubectl(['wait', '--for=condition=Established', '--timeout=180s', 'crd', '--all']);
    step('Starting the operator');
    await startOperator(opts.operatorArgs);
  }
  step('Starting the KubeRay API server (V1 and V2; callers authenticate with Kubernetes tokens)');
  const api = await startApiServer();
  step(`Applying ${opts.sample}`);
  kubectl(['apply', '-f', opts.sample]);
  const docs = readFileSync(opts.sample, 'utf8');
  const jobName = /kind:\s*RayJob[\s\S]*?\n\s*name:\s*([\w.-]+)/.exec(docs)?.[1];
  let ok = true;
  if (opts.wait && jobName) {
    step(`Following RayJob ${jobName} (the first Ray start on this machine takes a minute)`);
    ok = await follow(jobName, opts.timeout);
  }
  step('The local cluster keeps running. Use it with kubectl:');
  info(`export KUBECONFIG=${kubeconfig}`);
  info(`alias kubectl=${binaryPath('kubectl')}   # or any kubectl 1.33+`);
  info('kubectl get rayclusters,rayjobs,rayservices,pods');
  info('kubectl exec -it <head-pod> -c ray-head -- ray status');
  info('kubectl exec -it <head-pod> -c ray-head -- bash            # a shell in the head');
  info('kubectl logs -f <head-pod> -c ray-head');
  info('kubectl cp ./script.py <head-pod>:/tmp/script.py -c ray-head');
  info(
    'kubectl port-forward svc/<cluster>-head-svc 8265:8265   # then the Ray dashboard at http://localhost:8265',
  );
  info(
    `${rayVenvDir()}/bin/ray job submit --address http://localhost:8265 -- python -c "import ray; ray.init(); print(ray.cluster_resources())"`,
  );
  info(`kubectl apply -f /path/to/a/kuberay/sample.yaml`);
  step(
    `The KubeRay API server: ${api.url} (docs/apiserver.md); a token of demo-user (Ray in namespace default):`,
  );
  info(`export TOKEN=${api.token}`);
  info(`curl -s -H "Authorization: Bearer $TOKEN" ${api.url}/apis/v1/namespaces/default/clusters`);
  info(
    opts.inCluster
      ? `logs: kubectl logs deploy/${release}; ${devDir}/local-node.log and ${devDir}/logs/`
      : `logs: ${devDir}/{operator,local-node}.log and ${devDir}/logs/`,
  );
  info('stop everything: scripts/demo down');
  return ok ? 0 : 1;
}

async function down(): Promise<number> {
  step('Stopping the API server');
  await stopApiServer();
  step('Stopping the operator');
  await stopOperator();
  step('Stopping the local node and its pods');
  node([join(repo, 'src/main/local-node.ts'), 'down', `--dir=${devDir}`]);
  step('Stopping the control plane');
  node([join(repo, 'src/main/controlplane.ts'), 'down', `--dir=${devDir}`]);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseDemoArgs(argv);
  if (!parsed.ok) {
    console.error(`${parsed.error}\n(see scripts/demo --help)`);
    return 2;
  }
  const { command, timeout, wait, operatorArgs } = parsed.args;
  if (parsed.args.help) {
    process.stdout.write(help);
    return 0;
  }
  switch (command) {
    case 'up':
      return up({
        sample: resolve(parsed.args.sample ?? sample),
        timeout,
        wait,
        operatorArgs,
        inCluster: parsed.args.inCluster,
      });
    case 'down':
      return down();
    case 'status':
      if (!existsSync(kubeconfig)) {
        console.log('the local cluster is not running (scripts/demo up starts it)');
        return 1;
      }
      kubectl(['get', 'nodes,rayclusters,rayjobs,rayservices,pods', '-o', 'wide']);
      return 0;
    default:
      console.error(`unknown command '${command}'\n`);
      process.stderr.write(help);
      return 2;
  }
}

exitWhenDone(
  main(process.argv.slice(2)),
  (err) => `error: ${err instanceof Error ? err.message : String(err)}`,
);
