import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../k8s/kubeconfig.ts';
import { RestClient } from '../k8s/rest.ts';
import { KuberayError } from '../lib/errors.ts';
import { freePort } from '../lib/ports.ts';
import { auditArgs, auditPolicy } from './audit.ts';
import { type BinaryName, ensureBinaries } from './binaries.ts';
import { renderKubeconfig } from './kubeconfig-file.ts';
import { createKwokNodes } from './kwok-nodes.ts';
import { generatePki } from './pki.ts';
import { type ManagedProcess, startProcess } from './process.ts';

export interface ControlPlaneOptions {
  /** State directory (certs, etcd data, logs, kubeconfig). Default: a fresh temp dir, removed on stop. */
  readonly dir?: string;
  /** Also run kube-controller-manager (garbage collector, Job, EndpointSlice and other controllers). */
  readonly controllerManager?: boolean;
  /** Also run kube-scheduler. */
  readonly scheduler?: boolean;
  /** Run KWOK and create this many fake nodes (implies nothing else; add `scheduler` to place pods). */
  readonly kwokNodes?: number;
  /** Components die with this process (default true). `up` sets false so they outlive the CLI. */
  readonly tiedToParent?: boolean;
  /** Progress lines for long steps. */
  readonly progress?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Extra kube-apiserver flags, e.g. ['--etcd-compaction-interval=0']. */
  readonly apiserverArgs?: readonly string[];
  /**
   * Write the API server's audit log (JSON lines, level Metadata; the policy is `auditPolicy` in audit.ts) to
   * this file, which may lie outside `dir` so that it outlives the control plane. Default: no audit log.
   */
  readonly auditLog?: string;
  /** Picks the ports of etcd, its peer URL and kube-apiserver, in that order (tests; default: free ports). */
  readonly pickPorts?: () => Promise<readonly [number, number, number]>;
}

export interface ControlPlaneState {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly etcdUrl: string;
  readonly pids: Readonly<Record<string, number>>;
}

class ControlPlaneError extends KuberayError {}

const TEMP_PREFIX = 'kuberay-ts-cp-';

/** Removes temp dirs of control planes whose processes are all gone (left by a run that was killed). */
function sweepStaleDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const stateFile = join(dir, 'state.json');
    try {
      if (!existsSync(stateFile)) continue;
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as ControlPlaneState;
      const alive = Object.values(state.pids).some((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
      if (!alive) rmSync(dir, { recursive: true, force: true });
    } catch {
      // A dir we cannot read is not ours to remove.
    }
  }
}

/** A real etcd + kube-apiserver (and optionally controller-manager, scheduler, KWOK) on loopback. */
export class ControlPlane {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly etcdUrl: string;
  readonly #owned: boolean;
  readonly #procs = new Map<string, ManagedProcess>();
  readonly #bins: Record<BinaryName, string>;
  readonly #opts: ControlPlaneOptions;
  readonly #apiserverArgs: string[];
  #stopped = false;
  #onExit: (() => void) | undefined;

  private constructor(
    dir: string,
    owned: boolean,
    bins: Record<BinaryName, string>,
    server: string,
    etcdUrl: string,
    apiserverArgs: string[],
    opts: ControlPlaneOptions,
  ) {
    this.dir = dir;
    this.#owned = owned;
    this.#bins = bins;
    this.server = server;
    this.etcdUrl = etcdUrl;
    this.kubeconfig = join(dir, 'kubeconfig');
    this.#apiserverArgs = apiserverArgs;
    this.#opts = opts;
  }

  /**
   * Starts the components. The ports are picked free just before each component binds them, so another process
   * can take one in between; when etcd or kube-apiserver then exits with "address already in use", a control
   * plane in a directory of its own starts again on new ports (up to 3 times).
   */
  static async start(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ControlPlane.#startOnce(opts);
      } catch (err) {
        const clash = err instanceof ControlPlaneError && /address already in use/i.test(err.message);
        if (!clash || opts.dir || attempt >= 3) throw err;
        (opts.progress ?? (() => {}))(
          `a port was taken meanwhile (${err.message}); starting again on new ports`,
        );
      }
    }
  }

  static async #startOnce(opts: ControlPlaneOptions): Promise<ControlPlane> {
    const progress = opts.progress ?? (() => {});
    const names: BinaryName[] = ['etcd', 'kube-apiserver'];
    if (opts.controllerManager) names.push('kube-controller-manager');
    if (opts.scheduler) names.push('kube-scheduler');
    if (opts.kwokNodes) names.push('kwok');
    progress('checking the control-plane binaries (built once, then cached)');
    const bins = await ensureBinaries(names, opts.env);
    const owned = !opts.dir;
    if (owned) sweepStaleDirs();
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), TEMP_PREFIX));
    mkdirSync(join(dir, 'pki'), { recursive: true });
    mkdirSync(join(dir, 'logs'), { recursive: true });
    progress('generating certificates');
    const pki = await generatePki(join(dir, 'pki'));
    const [etcdPort, peerPort, apiPort] = opts.pickPorts
      ? await opts.pickPorts()
      : [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const server = `https://127.0.0.1:${apiPort}`;
    if (opts.auditLog) writeFileSync(join(dir, 'audit-policy.yaml'), auditPolicy);
    const apiserverArgs = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'pki')}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--kubelet-client-certificate=${pki.kubeletClientCert}`,
      `--kubelet-client-key=${pki.kubeletClientKey}`,
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=Node,RBAC',
      '--allow-privileged=true',
      '--enable-priority-and-fairness=false',
      '--disable-admission-plugins=ServiceAccount',
      ...(opts.auditLog ? auditArgs(join(dir, 'audit-policy.yaml'), opts.auditLog) : []),
      ...(opts.apiserverArgs ?? []),
    ];
    const cp = new ControlPlane(dir, owned, bins, server, etcdUrl, apiserverArgs, opts);
    // Last resort when the owner exits without calling stop(): kill the components and remove the dir.
    const onExit = () => cp.#killNow();
    process.once('exit', onExit);
    cp.#onExit = onExit;
    try {
      writeFileSync(cp.kubeconfig, renderKubeconfig(server, pki.caCert, pki.adminCert, pki.adminKey), {
        mode: 0o600,
      });
      progress(`starting etcd on ${etcdUrl}`);
      cp.#start('etcd', bins.etcd, [
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ]);
      progress(`starting kube-apiserver on ${server}`);
      cp.#start('kube-apiserver', bins['kube-apiserver'], apiserverArgs);
      await cp.waitReady();
      // The flags kube-controller-manager and kube-scheduler share.
      const componentArgs = async () => [
        `--kubeconfig=${cp.kubeconfig}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        `--secure-port=${await freePort()}`,
      ];
      if (opts.controllerManager) {
        progress('starting kube-controller-manager');
        cp.#start('kube-controller-manager', bins['kube-controller-manager'], [
          ...(await componentArgs()),
          `--service-account-private-key-file=${pki.saKey}`,
          `--root-ca-file=${pki.caCert}`,
          '--use-service-account-credentials=false',
          '--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-route',
          '--concurrent-gc-syncs=5',
          // On a loaded 2-core machine KWOK's node heartbeats can fall more than the default 50 s behind; the
          // node lifecycle controller would then mark every pod on the node NotReady (and the tests waiting for
          // a Ready head pod time out). A node here is declared unhealthy only after 10 minutes of silence.
          '--node-monitor-grace-period=10m',
        ]);
      }
      if (opts.scheduler) {
        progress('starting kube-scheduler');
        cp.#start('kube-scheduler', bins['kube-scheduler'], await componentArgs());
      }
      if (opts.kwokNodes) {
        progress(`starting KWOK with ${opts.kwokNodes} fake nodes`);
        cp.#start('kwok', bins.kwok, [
          `--kubeconfig=${cp.kubeconfig}`,
          '--manage-all-nodes=false',
          '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
          `--server-address=127.0.0.1:${await freePort()}`,
          '--cidr=10.244.0.0/16',
          '--node-ip=10.244.0.1',
        ]);
        await createKwokNodes(cp.client(), opts.kwokNodes);
      }
      cp.#writeState();
      return cp;
    } catch (err) {
      await cp.stop();
      throw err;
    }
  }

  /** A REST client with admin rights (each call makes a new one; close it when done). */
  client(userAgent = 'kuberay-ts-test'): RestClient {
    return new RestClient(loadKubeconfig(this.kubeconfig), { userAgent });
  }

  /** Waits until /readyz answers ok. */
  async waitReady(timeoutMs = 90_000): Promise<void> {
    const client = this.client();
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    try {
      while (Date.now() < deadline) {
        for (const name of ['etcd', 'kube-apiserver']) {
          const p = this.#procs.get(name);
          if (p && p.child.exitCode !== null)
            throw new ControlPlaneError(
              `${name} exited with ${p.child.exitCode}: ${lastLogLines(p.logFile)} (log: ${p.logFile})`,
            );
        }
        try {
          await client.request('GET', '/readyz', { timeoutMs: 5000 });
          return;
        } catch (err) {
          last = err;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      client.close();
    }
    throw new ControlPlaneError(`kube-apiserver not ready after ${timeoutMs}ms`, { cause: last });
  }

  /** Stops and starts kube-apiserver (same port, same etcd): for tests of watch reconnection. */
  async restartApiserver(): Promise<void> {
    await this.#procs.get('kube-apiserver')?.stop();
    this.#start('kube-apiserver', this.#bins['kube-apiserver'], this.#apiserverArgs);
    await this.waitReady();
    this.#writeState();
  }

  /** Kills one component (for failure tests). */
  async stopComponent(name: string): Promise<void> {
    await this.#procs.get(name)?.stop();
  }

  state(): ControlPlaneState {
    const pids: Record<string, number> = {};
    for (const [k, p] of this.#procs) pids[k] = p.pid;
    return { dir: this.dir, kubeconfig: this.kubeconfig, server: this.server, etcdUrl: this.etcdUrl, pids };
  }

  /** Stops every component (reverse order) and removes the temp dir if this object created it. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#onExit) process.removeListener('exit', this.#onExit);
    for (const p of [...this.#procs.values()].reverse()) await p.stop();
    if (this.#owned) rmSync(this.dir, { recursive: true, force: true });
  }

  #killNow(): void {
    if (this.#stopped || !(this.#opts.tiedToParent ?? true)) return;
    for (const p of this.#procs.values()) p.child.kill('SIGKILL');
    if (this.#owned) rmSync(this.dir, { recursive: true, force: true });
  }

  #start(name: string, bin: string, args: readonly string[]): void {
    const proc = startProcess({
      name,
      command: bin,
      args,
      logFile: join(this.dir, 'logs', `${name}.log`),
      tiedToParent: this.#opts.tiedToParent ?? true,
    });
    this.#procs.set(name, proc);
  }

  #writeState(): void {
    writeFileSync(join(this.dir, 'state.json'), `${JSON.stringify(this.state(), null, 2)}\n`);
  }
}

/** The last lines of a component's log, on one line (the directory may be gone by the time anyone looks). */
function lastLogLines(file: string, lines = 3): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join(' | ');
    return text.length > 600 ? `...${text.slice(-600)}` : text || '(empty log)';
  } catch {
    return '(no log)';
  }
}
