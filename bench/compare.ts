/**
 * Side-by-side benchmark (not a test): kuberay-ts and KubeRay v1.5.0 (scripts/build-kuberay.sh) alternately,
 * each a separate process with its default flags against its own fresh control plane with KWOK nodes. For
 * each operator and reconcile concurrency it measures: seconds from the first create until every pod exists,
 * the operator's RSS (from /proc) before any cluster and at its peak, its CPU (utime + stime) in an idle
 * window, its requests (from the API server's audit log, by user agent) until settled and while idle, and the
 * fairness case (a 1-worker cluster created 2 s into another cluster's 0 -> F scale-up). A raw client that
 * creates the same pods directly, 16 in flight, gives the limit. For the operators and the raw client alike,
 * until every pod exists: the CPU of each process (API server + etcd, scheduler + KWOK, the operator, the bench)
 * and the machine's busy share, and from the audit log the client's requests in flight at the API server. Runs
 * whose pod count is not exact (by name and by uid, nothing deleted) are reported and left out of the medians.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { RayCluster } from '../src/api/index.ts';
import { buildHeadPod, buildWorkerPod, defaultBuilderConfig } from '../src/builders/raycluster/index.ts';
import { ControlPlane } from '../src/devcluster/controlplane.ts';
import { KubeClient } from '../src/k8s/client.ts';
import { loadKubeconfig } from '../src/k8s/kubeconfig.ts';
import type { KubeObject } from '../src/k8s/objects.ts';
import { Resources } from '../src/k8s/resources.ts';
import { InformerFactory } from '../src/runtime/informer-factory.ts';
import { installCrds } from '../test/support/crds.ts';
import { kuberayOperatorPath } from '../test/support/samples.ts';
import { memoryCgroup } from './support/cgroup.ts';
import {
  auditCounter,
  busyShare,
  cpuSecondsOf,
  machineCpuTicks,
  podCreatesInNamespace,
  procSampler,
} from './support/measure.ts';
import { type Row, renderTable } from './support/report.ts';
import { auditSpans, inFlightTimeline } from './support/timeline.ts';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    operators: { type: 'string', default: 'ours,kuberay' },
    runs: { type: 'string', default: '3' },
    clusters: { type: 'string', default: '20' },
    workers: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '1,10' },
    fairness: { type: 'string', default: '1000' },
    'idle-seconds': { type: 'string', default: '120' },
    'restart-seconds': { type: 'string', default: '45' },
    raw: { type: 'boolean', default: true },
    'ours-sources': { type: 'boolean', default: false },
    // Our operator starts through scripts/operator-node.sh, as the image's /manager does; these come after its flags.
    'ours-node-options': { type: 'string', default: '' },
    'ours-args': { type: 'string', default: '' },
    'raw-pods': { type: 'string', default: 'operator' },
    'operator-log': { type: 'string' },
    'keep-audit': { type: 'string' },
    'server-profile': { type: 'string' },
    'memory-limit': { type: 'string', default: '0' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
/** How long --server-profile profiles the API server from the first create. */
const SERVER_PROFILE_SECONDS = 6;
if (values.help) {
  console.log(`Usage: node_modules/.bin/node bench/compare.ts [options]

Runs kuberay-ts and KubeRay v1.5.0 alternately (each on a fresh control plane with KWOK nodes, default flags
but --reconcile-concurrency) and prints a table of medians, every value and the ratios. Needs the cached
binaries (scripts/install-deps.sh). At the defaults it takes about 3 x 2 x 2 x 5 minutes: run it on a quiet
machine (the load average is recorded with each run).

  --operators LIST      ours,kuberay (default both)
  --runs N              runs of each operator and concurrency (default 3)
  --clusters N          RayClusters created at once (default 20)
  --workers M           workers per cluster (default 100)
  --concurrency LIST    --reconcile-concurrency values (default 1,10)
  --fairness F          workers of the big cluster in the fairness case (default 1000; 0 skips it)
  --idle-seconds S      the idle window after settling (default 120)
  --restart-seconds S   then the operator is stopped (SIGTERM) and started again with every pod present; its
                        RSS and writes are measured over S seconds (default 45, which covers a Lease that was
                        not released; 0 skips the restart)
  --no-raw              skip the raw parallel-create run
  --raw-pods KIND       what the raw client creates: operator (default: the pods our builder makes for the
                        bench's RayClusters, so the limit is for the same bodies) or minimal (a one-container
                        pod, the bench's figure before 2026-12-06: faster, not what an operator sends)
  --ours-sources        run our operator from the TypeScript sources (type stripping) instead of the
                        compiled build that the image runs (npm run build, done first)
  --ours-node-options S  more Node/V8 flags for our operator (default none). It starts through
                        scripts/operator-node.sh, as the image's /manager does: --max-semi-space-size=2, and
                        --max-old-space-size=1024 when its cgroup sets no memory limit; a later flag wins
  --ours-args S         extra operator flags for our operator only, e.g. "--qps=500 --burst=1000" (default none:
                        the bench compares both operators at their defaults)
  --memory-limit MIB    run each operator process in a memory cgroup with this limit, as a container with
                        resources.limits.memory (the Helm charts' default is 512Mi); Node sizes its heap from
                        it, Go does not (default 0: no cgroup). A run whose operator the kernel OOM-killed is
                        reported and left out of the medians
  --operator-log PREFIX write each operator process's stdout and stderr to PREFIX-<operator>-c<N>-<run>.log
                        (e.g. with --ours-node-options=--trace-gc); default: discarded
  --keep-audit DIR      copy each run's API server audit log to DIR/<operator>-c<N>-<run>.audit.log (one JSON
                        line per request, with its received and completed times: latency by verb and user);
                        default: the run's temporary directory is removed with its log
  --server-profile DIR  take a CPU profile of kube-apiserver over the first ${SERVER_PROFILE_SECONDS} s of each run's pod creates
                        (its /debug/pprof/profile) into DIR/<operator>-c<N>-<run>.apiserver.pprof; read it with
                        \`go tool pprof -top FILE\` (where the server's CPU goes while it is the bottleneck)
  --out FILE            also write every measurement as JSON
  -h, --help            this help`);
  process.exit(0);
}
const int = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
};
const N = int('clusters', values.clusters);
const M = int('workers', values.workers);
const rawPods = values['raw-pods'];
if (rawPods !== 'operator' && rawPods !== 'minimal')
  throw new Error(`--raw-pods must be operator or minimal, got "${rawPods}"`);
const F = int('fairness', values.fairness);
const runs = int('runs', values.runs);
const idleSeconds = int('idle-seconds', values['idle-seconds']);
const restartSeconds = int('restart-seconds', values['restart-seconds']);
const concurrencies = values.concurrency.split(',').map((c) => int('concurrency', c));
const memoryLimitMiB = int('memory-limit', values['memory-limit']);
const cgroup =
  memoryLimitMiB > 0 ? memoryCgroup(`kuberay-ts-bench-${process.pid}`, memoryLimitMiB) : undefined;
const operators = values.operators.split(',') as ('ours' | 'kuberay')[];
for (const o of operators)
  if (o !== 'ours' && o !== 'kuberay') throw new Error(`--operators: unknown operator "${o}"`);

const benchAgent = 'kuberay-ts-bench';
const root = join(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (l: string) => console.error(`[compare ${new Date().toISOString().slice(11, 19)}] ${l}`);

function cluster(name: string, ns: string, workers: number): KubeObject {
  const template = (c: string) => ({
    spec: {
      nodeSelector: { type: 'kwok' },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      containers: [
        { name: c, image: 'rayproject/ray:2.46.0', resources: { requests: { cpu: '10m', memory: '16Mi' } } },
      ],
    },
  });
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayCluster',
    metadata: { name, namespace: ns },
    spec: {
      rayVersion: '2.46.0',
      headGroupSpec: { rayStartParams: {}, template: template('ray-head') },
      workerGroupSpecs: [
        {
          groupName: 'g',
          replicas: workers,
          minReplicas: 0,
          maxReplicas: 100000,
          rayStartParams: {},
          template: template('ray-worker'),
        },
      ],
    },
  } as unknown as KubeObject;
}

/** Polls `fn` every 100 ms until it is true; returns the milliseconds waited. */
async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 30 * 60_000) {
  const start = performance.now();
  log(`  waiting for ${what}`);
  for (;;) {
    try {
      if (await fn()) return performance.now() - start;
    } catch (e) {
      log(`  (poll for ${what} failed: ${(e as Error).message}; retrying)`);
    }
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Control planes running now: stopped on SIGINT/SIGTERM so an interrupted bench leaves no processes. */
const running = new Set<ControlPlane>();
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    void Promise.all([...running].map((cp) => cp.stop())).finally(() => process.exit(130));
  });

/** A fresh control plane with the audit log on and enough KWOK nodes. */
async function controlPlane(totalPods: number) {
  const dir = mkdtempSync(join(tmpdir(), 'compare-'));
  const policy = join(dir, 'audit-policy.yaml');
  const auditLog = join(dir, 'audit.log');
  writeFileSync(
    policy,
    'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n',
  );
  const cp = await ControlPlane.start({
    // No kube-controller-manager: on a loaded machine its node lifecycle controller marks KWOK pods NotReady
    // when heartbeats fall behind, which would measure KWOK instead of the operators.
    controllerManager: false,
    scheduler: true,
    // A KWOK node offers 1000 pods and 64 CPUs (src/devcluster/kwok-nodes.ts); a worker's effective CPU request
    // is 200m (its wait-gcs-ready init container), so nodes are sized by pods and by CPU, 90 % full at most.
    kwokNodes: Math.max(2, Math.ceil(totalPods / 900), Math.ceil((totalPods * 0.2) / (64 * 0.9))),
    apiserverArgs: [`--audit-policy-file=${policy}`, `--audit-log-path=${auditLog}`, '--audit-log-maxsize=0'],
  });
  running.add(cp);
  const admin = KubeClient.fromAccess(loadKubeconfig(cp.kubeconfig), { qps: 0, userAgent: benchAgent });
  await installCrds(admin.rest, { timeoutMs: 120_000 });
  const { pids } = cp.state();
  // The server's side of a run: kube-apiserver and etcd, whose CPU every request of the client under test costs.
  const serverCpu = () => cpuSecondsOf(pids['kube-apiserver']!) + cpuSecondsOf(pids.etcd!);
  // Where the rest of the machine's CPU goes: binding the pods and playing their kubelets, and this process
  // (its pod watch; in the raw case also the creates).
  const schedulerKwokCpu = () => cpuSecondsOf(pids['kube-scheduler']!) + cpuSecondsOf(pids.kwok!);
  const benchCpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  /** CPU readings to take at the first create; `since` gives what each used from then. */
  const cpuMark = () => {
    const at = {
      server: serverCpu(),
      others: schedulerKwokCpu(),
      bench: benchCpu(),
      machine: machineCpuTicks(),
    };
    return {
      since: () => ({
        serverCpuSecondsUntilAllPodsExist: serverCpu() - at.server,
        schedulerKwokCpuSecondsUntilAllPodsExist: schedulerKwokCpu() - at.others,
        benchCpuSecondsUntilAllPodsExist: benchCpu() - at.bench,
        machineBusyUntilAllPodsExist: busyShare(at.machine, machineCpuTicks()),
      }),
    };
  };
  return { cp, admin, auditLog, dir, cpuMark };
}

/** Stops a run's control plane and removes its temporary directory, first copying the audit log if asked to. */
async function dropControlPlane(
  plane: Awaited<ReturnType<typeof controlPlane>>,
  name: string,
): Promise<void> {
  plane.admin.rest.close();
  await plane.cp.stop();
  running.delete(plane.cp);
  const keep = values['keep-audit'];
  if (keep) {
    mkdirSync(keep, { recursive: true });
    copyFileSync(plane.auditLog, join(keep, `${name}.audit.log`));
  }
  rmSync(plane.dir, { recursive: true, force: true });
}

/**
 * With --server-profile, starts a CPU profile of kube-apiserver over the next SERVER_PROFILE_SECONDS and resolves
 * when it is written to DIR/<name>.apiserver.pprof. A failure is reported and costs the run nothing.
 */
function profileServer(admin: KubeClient, name: string): Promise<void> {
  const dir = values['server-profile'];
  if (!dir) return Promise.resolve();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.apiserver.pprof`);
  return admin.rest
    .stream(`/debug/pprof/profile?seconds=${SERVER_PROFILE_SECONDS}`)
    .then((res) => pipeline(res, createWriteStream(file)))
    .catch((err: unknown) => log(`  no API server profile for ${name}: ${String(err)}`));
}

/** Watches every pod: distinct names and uids per namespace, deletions, and when each name first appeared. */
function podWatch(admin: KubeClient) {
  const informers = new InformerFactory({ client: admin });
  const pods = informers.informerFor(Resources.pods);
  const names = new Map<string, number>();
  const uids = new Set<string>();
  let deleted = 0;
  pods.addEventHandler({
    onAdd: (p) => {
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      if (!names.has(key)) names.set(key, performance.now());
      uids.add(p.metadata.uid ?? '');
    },
    onDelete: () => deleted++,
  });
  informers.start();
  const count = (ns: string, prefix = '') =>
    [...names.keys()].filter((k) => k.startsWith(`${ns}/${prefix}`)).length;
  return {
    count,
    firstSeen: (ns: string, prefix: string) =>
      [...names.entries()].find(([k]) => k.startsWith(`${ns}/${prefix}`))?.[1],
    /** How many of the namespace's pods had appeared by the end of each second after `t0` (cumulative). */
    timeline: (ns: string, t0: number) => {
      const perSecond: number[] = [];
      for (const [k, t] of names) {
        if (!k.startsWith(`${ns}/`)) continue;
        const s = Math.max(0, Math.floor((t - t0) / 1000));
        perSecond[s] = (perSecond[s] ?? 0) + 1;
      }
      let sum = 0;
      return Array.from(perSecond, (n) => (sum += n ?? 0));
    },
    exact: (expected: number) => names.size === expected && uids.size === expected && deleted === 0,
    describe: () => `${names.size} names, ${uids.size} uids, ${deleted} deleted`,
    stop: () => Promise.all(informers.informers().map((i) => i.stop())),
  };
}

/** How busy a client kept the API server over its pod-create window (bench/support/timeline.ts). */
function inFlightAtServer(
  auditLog: string,
  agentPrefix: string,
): { meanInFlightAtServer?: number; shareWithNoneInFlight?: number } {
  const t = inFlightTimeline(auditSpans(readFileSync(auditLog, 'utf8').split('\n'), agentPrefix), 'bench');
  if (!t || t.windowMs <= 0) return {};
  return { meanInFlightAtServer: t.meanInFlight, shareWithNoneInFlight: t.idleMs / t.windowMs };
}

let operatorStarts = 0;

function startOperator(which: 'ours' | 'kuberay', kubeconfig: string, concurrency: number) {
  const flags = [
    `--kubeconfig=${kubeconfig}`,
    '--leader-election-namespace=default',
    `--reconcile-concurrency=${concurrency}`,
    '--metrics-addr=127.0.0.1:0',
    '--health-probe-bind-address=127.0.0.1:0',
  ];
  const ours = values['ours-sources']
    ? join(root, 'src', 'main', 'operator.ts')
    : join(root, 'dist', 'src', 'main', 'operator.js');
  const [cmd, args] =
    which === 'kuberay'
      ? [kuberayOperatorPath, flags]
      : [
          '/bin/sh',
          [
            join(root, 'scripts', 'operator-node.sh'),
            ...values['ours-node-options'].split(' ').filter(Boolean),
            ours,
            ...flags,
            ...values['ours-args'].split(' ').filter(Boolean),
          ],
        ];
  const { KUBECONFIG: _k, ENABLE_WEBHOOKS: _w, ...inherited } = process.env;
  // The launcher runs `node` from PATH: the bench's own Node 24.
  const env = { ...inherited, PATH: `${dirname(process.execPath)}:${inherited.PATH ?? ''}` };
  const [run0, runArgs] = cgroup ? cgroup.wrap(cmd, args) : [cmd, args];
  const logPrefix = values['operator-log'];
  const out = logPrefix
    ? openSync(`${logPrefix}-${which}-c${concurrency}-${++operatorStarts}.log`, 'w')
    : 'ignore';
  const child = spawn(run0, runArgs, { env, stdio: ['ignore', out, out] });
  if (typeof out === 'number') closeSync(out);
  process.once('exit', () => child.kill('SIGKILL'));
  return child;
}

interface Measure {
  operator: 'ours' | 'kuberay' | 'raw';
  concurrency: number;
  run: number;
  exact: boolean;
  podCheck: string;
  load: [number, number];
  secondsUntilAllPodsExist: number;
  /** kube-apiserver's and etcd's CPU (utime + stime) from the first create until all pods exist. */
  serverCpuSecondsUntilAllPodsExist: number;
  /** kube-scheduler's and KWOK's CPU over the same time. */
  schedulerKwokCpuSecondsUntilAllPodsExist: number;
  /** The bench process's own CPU over the same time (its pod watch; in the raw case also the creates). */
  benchCpuSecondsUntilAllPodsExist: number;
  /** The operator's CPU over the same time. */
  operatorCpuSecondsUntilAllPodsExist?: number;
  /** The share of the machine's CPU busy (all processes) from the first create until all pods exist. */
  machineBusyUntilAllPodsExist: number;
  /** From the audit log, from the client's first pod create in the main case to its last: requests in flight (mean). */
  meanInFlightAtServer?: number;
  /** The share of that window with none of the client's requests in flight at the server. */
  shareWithNoneInFlight?: number;
  /** Pods seen by the end of each second after the first create (cumulative; in --out only). */
  podsBySecond?: number[];
  rssMiBBeforeAnyCluster?: number;
  peakRssMiB?: number;
  /** After a restart with every pod present (measureRestart): the new process's RSS and its writes. */
  restartPeakRssMiB?: number;
  restartRssMiB?: number;
  writesAfterRestart?: number;
  writesAfterRestartByKind?: Record<string, number>;
  /** utime + stime from the first create until settled (every pod written and every status settled). */
  cpuSecondsUntilSettled?: number;
  idleCpuSeconds?: number;
  requestsUntilSettled?: number;
  /** The requests until settled by `verb resource[/subresource]`. */
  requestsUntilSettledByKind?: Record<string, number>;
  requestsWhileIdle?: number;
  requestsWhileIdleByKind?: Record<string, number>;
  fairnessSeconds?: number;
  /** From the audit log: the small cluster's RayCluster create received until its head and worker pods were created. */
  fairnessCreatedSeconds?: number;
  /** Operator processes the kernel OOM-killed in the run's memory cgroup (--memory-limit). */
  oomKills?: number;
  userAgents?: Record<string, number>;
}

/**
 * Seconds from the small cluster's create until the operator's creates of its head and worker pods completed,
 * both times from the API server's audit log (the log can trail the watch by a moment: it is read until both
 * creates are in it). Undefined if they do not show up within 30 s.
 */
async function smallPodsCreated(auditLog: string): Promise<number | undefined> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = podCreatesInNamespace(readFileSync(auditLog, 'utf8').split('\n'), 'fair-small');
    if (r.rayClusterCreatedMs !== undefined && r.podsCreatedMs.length >= 2)
      return (r.podsCreatedMs[1]! - r.rayClusterCreatedMs) / 1000;
    if (Date.now() > deadline) return undefined;
    await sleep(500);
  }
}

async function measureOperator(
  which: 'ours' | 'kuberay',
  concurrency: number,
  run: number,
): Promise<Measure> {
  const load0 = loadavg()[0]!;
  const total = N * (M + 1) + (F > 0 ? F + 3 : 0);
  const plane = await controlPlane(total);
  const { cp, admin, auditLog, cpuMark } = plane;
  try {
    for (const name of ['bench', 'fair', 'fair-small'])
      await admin.create(Resources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const pods = podWatch(admin);
    const audit = auditCounter(auditLog);
    const oom0 = cgroup?.oomKills() ?? 0;
    const child = startOperator(which, cp.kubeconfig, concurrency);
    const proc = procSampler(child.pid!);
    // Started: it has listed RayClusters. Then 10 s of nothing to do.
    await until('operator start', () => audit.read().some((e) => e.resource === 'rayclusters'), 120_000);
    await sleep(10_000);
    const rssBefore = proc.sample().rssMiB;
    proc.resetPeak();

    const t0 = performance.now();
    const cpuAtStart = proc.sample().cpuSeconds;
    const mark = cpuMark();
    const before = audit.operatorRequests();
    const beforeByKind = audit.operatorRequestsByKind();
    const profiled = profileServer(admin, `${which}-c${concurrency}-${run}`);
    const queue = Array.from({ length: N }, (_, i) => cluster(`c${i}`, 'bench', M));
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) await admin.create(Resources.rayClusters, c);
      }),
    );
    await until('all pods', () => pods.count('bench') >= N * (M + 1));
    const allExist = (performance.now() - t0) / 1000;
    const cpuUntilAllExist = mark.since();
    const operatorCpuUntilAllExist = proc.sample().cpuSeconds - cpuAtStart;
    await profiled;
    const podsBySecond = pods.timeline('bench', t0);
    // Settled: every cluster ready and no request from the operator for 5 s.
    await until('all ready', async () => {
      const list = await admin.list(Resources.rayClusters, { namespace: 'bench' });
      return list.items.every((c) => (c as { status?: { state?: string } }).status?.state === 'ready');
    });
    let last = audit.operatorRequests();
    await until('settled', async () => {
      await sleep(5_000);
      const now = audit.operatorRequests();
      const quiet = now === last;
      last = now;
      return quiet;
    });
    const untilSettled = last - before;
    // The operator's requests by verb and resource since `from` (an earlier operatorRequestsByKind()).
    const byKindSince = (from: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(audit.operatorRequestsByKind())
          .map(([k, n]) => [k, n - (from[k] ?? 0)] as const)
          .filter(([, n]) => n > 0)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    const untilSettledByKind = byKindSince(beforeByKind);
    const peak = proc.sample().peakRssMiB;
    const cpuUntilSettled = proc.sample().cpuSeconds - cpuAtStart;

    const idleReq0 = audit.operatorRequests();
    const idleByKind0 = audit.operatorRequestsByKind();
    const cpu0 = proc.sample().cpuSeconds;
    await sleep(idleSeconds * 1000);
    const idleCpu = proc.sample().cpuSeconds - cpu0;
    const idleRequests = audit.operatorRequests() - idleReq0;
    const idleByKind = byKindSince(idleByKind0);

    let fairness: number | undefined;
    let fairnessCreated: number | undefined;
    if (F > 0) {
      await admin.create(Resources.rayClusters, cluster('big', 'fair', 0));
      await until('big head', () => pods.count('fair', 'big-') >= 1);
      await admin.patch(
        Resources.rayClusters,
        'fair',
        'big',
        [{ op: 'replace', path: '/spec/workerGroupSpecs/0/replicas', value: F }],
        { type: 'json' },
      );
      await sleep(2_000);
      const created = performance.now();
      // In a namespace of its own, so that the audit log tells its pod creates from the big cluster's.
      await admin.create(Resources.rayClusters, cluster('small', 'fair-small', 1));
      await until('small worker', () => pods.firstSeen('fair-small', 'small-g-') !== undefined);
      fairness = ((pods.firstSeen('fair-small', 'small-g-') ?? created) - created) / 1000;
      fairnessCreated = await smallPodsCreated(auditLog);
      await until('big workers', () => pods.count('fair') >= F + 1 && pods.count('fair-small') >= 2);
    }
    const peakBeforeRestart = Math.max(peak, proc.sample().peakRssMiB);
    proc.stop();
    const restart =
      restartSeconds > 0 ? await measureRestart(which, cp.kubeconfig, concurrency, child, audit) : {};
    const oomKills = (cgroup?.oomKills() ?? 0) - oom0;
    const exact = pods.exact(total) && oomKills === 0;
    const atServer = inFlightAtServer(auditLog, 'kuberay-operator');
    const result: Measure = {
      operator: which,
      concurrency,
      run,
      exact,
      podCheck:
        oomKills > 0
          ? `${pods.describe()}; the operator was OOM-killed ${oomKills} time(s)`
          : pods.describe(),
      ...(cgroup ? { oomKills } : {}),
      load: [load0, loadavg()[0]!],
      secondsUntilAllPodsExist: allExist,
      ...cpuUntilAllExist,
      operatorCpuSecondsUntilAllPodsExist: operatorCpuUntilAllExist,
      ...atServer,
      podsBySecond,
      rssMiBBeforeAnyCluster: rssBefore,
      peakRssMiB: peakBeforeRestart,
      cpuSecondsUntilSettled: cpuUntilSettled,
      idleCpuSeconds: idleCpu,
      requestsUntilSettled: untilSettled,
      requestsUntilSettledByKind: untilSettledByKind,
      requestsWhileIdle: idleRequests,
      requestsWhileIdleByKind: idleByKind,
      userAgents: audit.userAgents(),
      ...(fairness !== undefined ? { fairnessSeconds: fairness } : {}),
      ...(fairnessCreated !== undefined ? { fairnessCreatedSeconds: fairnessCreated } : {}),
      ...restart,
    };
    child.kill('SIGTERM');
    await pods.stop();
    return result;
  } finally {
    await dropControlPlane(plane, `${which}-c${concurrency}-${run}`);
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within 30 s; resolves when it has exited. */
async function stopOperator(child: ReturnType<typeof startOperator>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killer);
}

/**
 * The restart case: the operator is stopped (SIGTERM, SIGKILL after 30 s) and a new process started with every
 * pod and cluster present, as after an upgrade or an eviction. Over `restartSeconds` it measures the new
 * process's peak and final RSS (its caches fill from a full relist) and its writes: a restart should change
 * nothing. The caller's pod check afterwards counts any pod it created or deleted.
 */
async function measureRestart(
  which: 'ours' | 'kuberay',
  kubeconfig: string,
  concurrency: number,
  old: ReturnType<typeof startOperator>,
  audit: ReturnType<typeof auditCounter>,
): Promise<
  Pick<Measure, 'restartPeakRssMiB' | 'restartRssMiB' | 'writesAfterRestart' | 'writesAfterRestartByKind'>
> {
  log('  restarting the operator');
  await stopOperator(old);
  const before = audit.operatorRequestsByKind();
  const child = startOperator(which, kubeconfig, concurrency);
  const proc = procSampler(child.pid!);
  await sleep(restartSeconds * 1000);
  const { rssMiB, peakRssMiB } = proc.sample();
  proc.stop();
  const writes = Object.entries(audit.operatorRequestsByKind())
    .map(([k, n]) => [k, n - (before[k] ?? 0)] as const)
    .filter(([k, n]) => n > 0 && !/^(get|list|watch) /.test(k))
    .sort(([a], [b]) => a.localeCompare(b));
  await stopOperator(child);
  return {
    restartPeakRssMiB: peakRssMiB,
    restartRssMiB: rssMiB,
    writesAfterRestart: writes.reduce((sum, [, n]) => sum + n, 0),
    writesAfterRestartByKind: Object.fromEntries(writes),
  };
}

/** The limit: the same pods created directly by a client with 16 requests in flight and no rate limit. */
async function measureRaw(run: number): Promise<Measure> {
  const load0 = loadavg()[0]!;
  const total = N * (M + 1);
  const plane = await controlPlane(total);
  const { admin } = plane;
  try {
    await admin.create(Resources.namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'bench' },
    });
    // The bodies: the pods our builder makes for the bench's RayClusters (the init container, env, probes and
    // labels an operator sends), built from one RayCluster as the API server stored it (with its defaults), or
    // with --raw-pods=minimal a one-container pod, which the server takes faster.
    const bodies: KubeObject[] = [];
    if (rawPods === 'operator') {
      const created = await admin.create(Resources.rayClusters, cluster('template', 'bench', M));
      const stored = created as RayCluster;
      for (let c = 0; c < N; c++) {
        const rc = structuredClone(stored);
        rc.metadata.name = `c${c}`;
        bodies.push(buildHeadPod(rc, defaultBuilderConfig) as KubeObject);
        for (let w = 0; w < M; w++) bodies.push(buildWorkerPod(rc, defaultBuilderConfig, 0) as KubeObject);
      }
    } else
      for (let i = 0; i < total; i++)
        bodies.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `raw-${i}`, namespace: 'bench' },
          spec: {
            nodeSelector: { type: 'kwok' },
            tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
            containers: [{ name: 'c', image: 'rayproject/ray:2.46.0' }],
          },
        } as KubeObject);
    const pods = podWatch(admin);
    const t0 = performance.now();
    const mark = plane.cpuMark();
    const profiled = profileServer(admin, `raw-${run}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = next++; i < total; i = next++) await admin.create(Resources.pods, bodies[i]!);
      }),
    );
    await until('all raw pods', () => pods.count('bench') >= total);
    const seconds = (performance.now() - t0) / 1000;
    const cpuUntilAllExist = mark.since();
    await profiled;
    const podsBySecond = pods.timeline('bench', t0);
    const exact = pods.exact(total);
    const podCheck = pods.describe();
    await sleep(1000); // the audit log's last lines
    const atServer = inFlightAtServer(plane.auditLog, benchAgent);
    await pods.stop();
    return {
      operator: 'raw',
      concurrency: 16,
      run,
      exact,
      podCheck,
      load: [load0, loadavg()[0]!],
      secondsUntilAllPodsExist: seconds,
      ...cpuUntilAllExist,
      ...atServer,
      podsBySecond,
    };
  } finally {
    await dropControlPlane(plane, `raw-${run}`);
  }
}

async function main() {
  if (operators.includes('ours') && !values['ours-sources']) {
    log('compiling the operator as the image does (npm run build)');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const all: Measure[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const c of concurrencies)
      for (const op of run % 2 === 1 ? operators : [...operators].reverse()) {
        log(`run ${run}/${runs}: ${op}, --reconcile-concurrency=${c} (${N} x ${M}, fairness ${F})`);
        const m = await measureOperator(op, c, run);
        log(`  ${JSON.stringify(m)}`);
        all.push(m);
      }
    if (values.raw) {
      log(`run ${run}/${runs}: raw parallel creates`);
      const m = await measureRaw(run);
      log(`  ${JSON.stringify(m)}`);
      all.push(m);
    }
  }
  if (values.out)
    writeFileSync(values.out, `${JSON.stringify({ clusters: N, workers: M, fairness: F, all }, null, 2)}\n`);
  const rows: Row[] = all.map((m) => ({ ...m }));
  console.log(renderTable(rows, { clusters: N, workers: M, fairness: F, idleSeconds, memoryLimitMiB }));
  const inexact = all.filter((m) => !m.exact);
  if (inexact.length > 0) {
    console.log(`\n${inexact.length} run(s) had an inexact pod count and are left out of the medians:`);
    for (const m of inexact) console.log(`  ${m.operator} c${m.concurrency} run ${m.run}: ${m.podCheck}`);
    process.exitCode = 1;
  }
}

if (!readFileSync('/proc/self/status', 'utf8')) throw new Error('needs Linux /proc');
process.once('exit', () => cgroup?.remove());
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
