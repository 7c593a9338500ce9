/**
 * What the dashboard's browser tests and benchmark share: a fresh build of the dashboard, our API server as a
 * process serving it (secure mode: every call as the caller), and ServiceAccount tokens with chosen rights.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ControlPlane, type ControlPlaneOptions } from '../../src/devcluster/controlplane.ts';
import type { RestClient } from '../../src/k8s/rest.ts';
import { auditOption } from './audit.ts';
import { installCrds } from './crds.ts';
import { eventually } from './eventually.ts';
import { type PolicyRule, serviceAccountToken } from './service-account.ts';

const root = join(import.meta.dirname, '..', '..');
const node = join(root, 'node_modules/.bin/node');

/** `vite build` of dashboard/ into a new temp directory (never the checkout's dashboard/dist); `remove` deletes it. */
export function buildDashboard(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'krts-dashboard-'));
  const build = spawnSync(
    node,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      dir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: join(root, 'dashboard'), encoding: 'utf8' },
  );
  assert.equal(build.status, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface DashboardEnvironment {
  /** A private control plane with the ray.io CRDs. */
  readonly cp: ControlPlane;
  /** Its admin client. */
  readonly client: RestClient;
  /** The dashboard build the API server serves. */
  readonly distDir: string;
}

/**
 * For a browser test file: a fresh dashboard build and a private control plane (`options`) with the ray.io
 * CRDs, made in `before` (nothing when `skip` says why not), stopped and removed in `after`. Its fields are
 * there inside the tests (reading one earlier throws).
 */
export function useDashboardEnvironment(
  options: ControlPlaneOptions,
  skip: string | false,
): DashboardEnvironment {
  let cp: ControlPlane | undefined;
  let client: RestClient | undefined;
  let build: ReturnType<typeof buildDashboard> | undefined;
  before(async () => {
    if (skip) return;
    build = buildDashboard();
    // Audited when the run audits (the RBAC check counts the operator these tests start).
    cp = await ControlPlane.start({ ...options, ...auditOption('dashboard') });
    client = cp.client();
    await installCrds(client, { timeoutMs: 120_000 });
  });
  after(async () => {
    client?.close();
    await cp?.stop();
    build?.remove();
  });
  const up = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the dashboard environment is not up (read it inside a test)');
    return x;
  };
  return {
    get cp() {
      return up(cp);
    },
    get client() {
      return up(client);
    },
    get distDir() {
      return up(build).dir;
    },
  };
}

export interface ApiServerProcess {
  readonly base: string;
  readonly stop: () => Promise<void>;
}

/**
 * `node src/main/apiserver.ts` in the secure mode serving `distDir`, on 127.0.0.1:`listen` (0: any); resolves
 * once it serves. `stop` sends SIGTERM and waits for the exit; `onExit` (e.g. a test's `after`) gets a kill.
 */
export async function startApiServer(opts: {
  kubeconfig: string;
  distDir: string;
  listen?: number;
  extraArgs?: readonly string[];
  onExit?: (fn: () => void) => void;
}): Promise<ApiServerProcess> {
  const child: ChildProcess = spawn(
    node,
    [
      join(root, 'src/main/apiserver.ts'),
      `--kubeconfig=${opts.kubeconfig}`,
      `--httpPortFlag=127.0.0.1:${opts.listen ?? 0}`,
      '--rpcPortFlag=127.0.0.1:0',
      '--auth=kubernetes',
      '--cache-lists=false',
      `--dashboard-dir=${opts.distDir}`,
      ...(opts.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUBECONFIG: '' } },
  );
  opts.onExit?.(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let port = 0;
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      const m = /"msg":"serving".*?"port":(\d+)/.exec(l);
      if (m) port = Number(m[1]);
    }
  });
  await eventually(
    () => {
      if (!port) throw new Error('the API server is not serving yet');
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const exited = new Promise((r) => child.once('exit', r));
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** What a dashboard user may do: the pages' rights (`list` only on pods: the detail page polls them). */
export const DASHBOARD_RULES: readonly PolicyRule[] = [
  {
    apiGroups: ['ray.io'],
    resources: ['rayclusters', 'rayjobs', 'rayservices', 'raycronjobs'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
  },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
];

/**
 * A ServiceAccount `name` in `ns` with the dashboard's rights in `scope` (a namespace: a Role and a RoleBinding
 * there; 'cluster': a ClusterRole and a ClusterRoleBinding), and a one-hour token for it.
 */
export function dashboardToken(
  client: RestClient,
  ns: string,
  name: string,
  scope: { namespace: string } | 'cluster',
): Promise<string> {
  return serviceAccountToken(client, ns, name, { rules: DASHBOARD_RULES, scope });
}

/** A RayCluster object as the dashboard tests and the benchmark create it. */
export interface PlainRayCluster {
  readonly apiVersion: 'ray.io/v1';
  readonly kind: 'RayCluster';
  readonly metadata: { name: string; namespace: string; labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

/**
 * A RayCluster that needs nothing to exist (no operator needed to list it): a head and a worker group `small`
 * (1 replica, 0..4) of `rayproject/ray:2.46.0`; its pods go to nodes matching `nodeSelector` when given (e.g.
 * `{ type: 'kwok' }`: KWOK's nodes).
 */
export function plainRayCluster(
  name: string,
  ns: string,
  labels: Record<string, string> = {},
  nodeSelector?: Record<string, string>,
): PlainRayCluster {
  const podSpec = (n: string) => ({
    ...(nodeSelector ? { nodeSelector } : {}),
    containers: [{ name: n, image: 'rayproject/ray:2.46.0' }],
  });
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name, namespace: ns, labels },
    spec: {
      rayVersion: '2.46.0',
      headGroupSpec: { rayStartParams: {}, template: { spec: podSpec('ray-head') } },
      workerGroupSpecs: [
        {
          groupName: 'small',
          replicas: 1,
          minReplicas: 0,
          maxReplicas: 4,
          rayStartParams: {},
          template: { spec: podSpec('ray-worker') },
        },
      ],
    },
  };
}
