import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ControlPlane } from '../../src/devcluster/controlplane.ts';
import { devClusterCapacity } from '../../src/devcluster/node/capacity.ts';
import { LocalNode, type LocalNodeOptions } from '../../src/devcluster/node/local-node.ts';
import type { RestClient } from '../../src/k8s/rest.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { freePort } from '../../src/lib/ports.ts';
import { auditOption, operatorProcessEnv } from './audit.ts';
import { eventually } from './eventually.ts';

/** A private control plane (scheduler + controller-manager) with one local node that runs pods as processes. */
export interface LocalCluster {
  readonly controlPlane: ControlPlane;
  readonly node: LocalNode;
  readonly kubeconfig: string;
  /** An admin client (closed by stop()). */
  readonly client: RestClient;
  stop(): Promise<void>;
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager and kube-scheduler, then a local node with the
 * development capacity (`devClusterCapacity`, as `scripts/demo` uses: nothing is enforced, and KubeRay's
 * samples must schedule on a 2-core machine; `opts` may give other values), and waits until the node is Ready. Set KUBERAY_TS_NODE_LOG=1 to see the node's logs.
 */
export async function startLocalCluster(opts: Partial<LocalNodeOptions> = {}): Promise<LocalCluster> {
  const controlPlane = await ControlPlane.start({
    controllerManager: true,
    scheduler: true,
    ...auditOption('local-cluster'),
  });
  const client = controlPlane.client();
  let node: LocalNode | undefined;
  try {
    node = await LocalNode.start({
      kubeconfig: controlPlane.kubeconfig,
      ...devClusterCapacity,
      log: process.env.KUBERAY_TS_NODE_LOG ? createLogger({ format: 'console', level: 'debug' }) : undefined,
      ...opts,
    });
    await waitNodeReady(client, node.name);
  } catch (err) {
    await node?.stop();
    client.close();
    await controlPlane.stop();
    throw err;
  }
  const n = node;
  return {
    controlPlane,
    node: n,
    kubeconfig: controlPlane.kubeconfig,
    client,
    stop: async () => {
      await n.stop();
      client.close();
      await controlPlane.stop();
    },
  };
}

/**
 * Waits until the Node reports Ready=True and carries no not-ready/unreachable taint (the node lifecycle
 * controller taints a new node until it has seen it Ready; the scheduler would skip it meanwhile). The budget
 * covers a kube-controller-manager that starts slowly on a loaded machine: in one full CI run the node was Ready
 * and the taint still there after 30 s, while the same file alone took 10 s.
 */
export async function waitNodeReady(client: RestClient, name: string, timeoutMs = 90_000): Promise<void> {
  await eventually(
    async () => {
      const node = await client.request<{
        spec?: { taints?: { key: string }[] };
        status?: { conditions?: { type: string; status: string }[] };
      }>('GET', `/api/v1/nodes/${name}`);
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status !== 'True') throw new Error(`node ${name} is not Ready yet`);
      const blocking = (node.spec?.taints ?? []).filter((t) => t.key.startsWith('node.kubernetes.io/'));
      if (blocking.length > 0)
        throw new Error(`node ${name} still has taints ${blocking.map((t) => t.key).join(', ')}`);
    },
    { timeoutMs, intervalMs: 200 },
  );
}

interface PodLike {
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      restartCount: number;
      state: Record<string, { reason?: string; message?: string; exitCode?: number } | undefined>;
    }[];
  };
}

/** Reads a pod. */
export function getPod(client: RestClient, ns: string, name: string): Promise<PodLike> {
  return client.request<PodLike>('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
}

/** Waits until a pod is in `phase` (and Ready, when `ready`), and returns it. */
export async function waitPod(
  client: RestClient,
  ns: string,
  name: string,
  want: { phase?: string; ready?: boolean },
  timeoutMs = 60_000,
): Promise<PodLike> {
  return eventually(
    async () => {
      const pod = await getPod(client, ns, name);
      if (want.phase && pod.status?.phase !== want.phase)
        throw new Error(
          `pod ${ns}/${name} is ${pod.status?.phase}, want ${want.phase}: ${JSON.stringify(pod.status?.containerStatuses?.map((c) => c.state))}`,
        );
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      if (want.ready !== undefined && ready !== want.ready)
        throw new Error(`pod ${ns}/${name} Ready=${ready}, want ${want.ready}`);
      return pod;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** Creates a namespace with a random name (`<prefix>-xxxxxx`) and returns its name. */
export async function createNamespace(client: RestClient, prefix = 'ln'): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await client.request('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
  return name;
}

/** Creates a bare Pod with the given spec and labels. */
export async function createPod(
  client: RestClient,
  ns: string,
  name: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): Promise<void> {
  await client.request('POST', `/api/v1/namespaces/${ns}/pods`, {
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec },
  });
}

/** The operator running as its own process against a local cluster (as users run it). */
export interface OperatorProcess {
  /** The operator's log file (stdout and stderr). */
  readonly logFile: string;
  /** The last `lines` lines of its log, for failure messages. */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

/**
 * Starts `src/main/operator.ts` against `lc` with `--use-kubernetes-proxy` (the dashboard and Serve proxies are
 * reached through the API server), no leader election and free metrics/health ports. Logs go to
 * `<control plane dir>/logs/operator.log`.
 */
export async function startOperator(lc: LocalCluster, extraArgs: string[] = []): Promise<OperatorProcess> {
  const repo = join(import.meta.dirname, '../..');
  const logFile = join(lc.controlPlane.dir, 'logs', 'operator.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repo, 'src/main/operator.ts'),
      `--kubeconfig=${lc.kubeconfig}`,
      `--metrics-addr=127.0.0.1:${await freePort()}`,
      `--health-probe-bind-address=127.0.0.1:${await freePort()}`,
      '--enable-leader-election=false',
      '--use-kubernetes-proxy',
      ...extraArgs,
    ],
    { stdio: ['ignore', fd, fd], cwd: repo, env: { ...process.env, ...operatorProcessEnv() } },
  );
  closeSync(fd);
  return {
    logFile,
    tail: (lines = 40) =>
      existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '',
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
