import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { EndpointSlice, Pod } from '../../api/k8s-types.ts';
import { loadKubeconfig } from '../../k8s/kubeconfig.ts';
import { RestClient } from '../../k8s/rest.ts';
import { KuberayError } from '../../lib/errors.ts';
import { type Logger, nullLogger } from '../../lib/logger.ts';
import { startApiForwarder } from './api-forwarder.ts';
import { nodeResources } from './capacity.ts';
import { cgroupRoot, removeCgroup, signalCgroup } from './cgroups.ts';
import type { ContainerIO } from './container-io.ts';
import { logRun } from './container-logs.ts';
import { logFileOf } from './container-worker.ts';
import { ExecError, type ExecTarget, execInContainer } from './exec.ts';
import { renderHosts, serviceRecords } from './hosts.ts';
import { IpPool, type NodeNetwork } from './ippool.ts';
import { type LogLocation, selfSignedCert, startKubeletServer } from './kubelet-server.ts';
import { acquireSlot, defaultStateRoot, releaseSlot, releaseSlotSync } from './network.ts';
import { NodeRegistration, PodEvents } from './node-registration.ts';
import { type NodeContext, PodWorker } from './pod-worker.ts';
import { listWatch } from './watch.ts';

/** `net`'s lookup callback: one address and its family, or every address when `options.all` is set. */
type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export interface LocalNodeOptions {
  /** Kubeconfig of the cluster to join (admin rights: the node writes pods, nodes, leases, events). */
  readonly kubeconfig: string;
  /** Node name; default `local-node`. */
  readonly name?: string;
  /** Network slot (10.213.<slot>.0/24 on bridge krts<slot>); default the first free one. */
  readonly slot?: number;
  /** Capacity reported to the scheduler; default the machine's CPUs and memory, 110 pods. */
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  /** Extra node labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Register the Node cordoned (`spec.unschedulable`): the scheduler places nothing here, only pods bound by
   * `spec.nodeName` run (a test sharing a control plane with others); default false.
   */
  readonly unschedulable?: boolean;
  /** Pod files and logs (on disk); default /var/lib/kuberay-ts. Slot locks live in /run/kuberay-ts. */
  readonly stateRoot?: string;
  readonly runRoot?: string;
  /** First crash-loop back-off (doubles up to 5 min); default 10 s like the kubelet. */
  readonly backoffBaseMs?: number;
  /** Delete the Node object on stop (default true), so its pods are not left Running. */
  readonly deleteNodeOnStop?: boolean;
  readonly log?: Logger;
  readonly env?: NodeJS.ProcessEnv;
}

class LocalNodeError extends KuberayError {}

const KUBELET_PORT = 10250;
const API_PORT = 443;

/** `<namespace>/<name>`, the key pods are tracked by. */
function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}

/**
 * A node that runs pods as local processes: registers a Node, keeps its Lease, runs the pods bound to it
 * (one network, mount and UTS namespace each), writes their status, serves their logs, and finishes their
 * deletion. See docs/local-node.md.
 */
export class LocalNode {
  readonly name: string;
  readonly net: NodeNetwork;
  readonly stateDir: string;
  readonly kubeletPort = KUBELET_PORT;
  readonly #o: LocalNodeOptions;
  readonly #client: RestClient;
  readonly #log: Logger;
  readonly #workers = new Map<string, PodWorker>();
  readonly #slices = new Map<string, EndpointSlice>();
  readonly #servers: Server[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #watches: { stop(): void }[] = [];
  readonly #runRoot: string;
  readonly #cgroup: string | undefined;
  #ctx!: NodeContext;
  #hostsTimer: NodeJS.Timeout | undefined;
  #onExit: (() => void) | undefined;
  #stopped = false;

  private constructor(
    o: LocalNodeOptions,
    net: NodeNetwork,
    client: RestClient,
    stateRoot: string,
    runRoot: string,
  ) {
    this.#o = o;
    this.name = o.name ?? 'local-node';
    this.net = net;
    this.#client = client;
    this.#runRoot = runRoot;
    this.#log = (o.log ?? nullLogger).child({ node: this.name });
    this.stateDir = join(stateRoot, `slot-${net.slot}`);
    const cg = cgroupRoot();
    this.#cgroup = cg ? join(cg, `slot-${net.slot}`) : undefined;
  }

  static async start(o: LocalNodeOptions): Promise<LocalNode> {
    if (process.getuid?.() !== 0)
      throw new LocalNodeError('the local node needs root (network namespaces, mounts)');
    const access = loadKubeconfig(o.kubeconfig);
    const client = new RestClient(access, { userAgent: 'kuberay-ts-local-node' });
    const runRoot = o.runRoot ?? defaultStateRoot;
    const stateRoot = o.stateRoot ?? '/var/lib/kuberay-ts';
    const net = await acquireSlot(runRoot, o.name ?? 'local-node', o.slot);
    const node = new LocalNode(o, net, client, stateRoot, runRoot);
    node.#onExit = () => releaseSlotSync(runRoot, net);
    process.once('exit', node.#onExit);
    try {
      await node.#init(access.server, access.ca?.toString('utf8') ?? '');
    } catch (err) {
      await node.stop();
      throw err;
    }
    return node;
  }

  async #init(server: string, caPem: string): Promise<void> {
    rmSync(this.stateDir, { recursive: true, force: true });
    mkdirSync(join(this.stateDir, 'pods'), { recursive: true, mode: 0o700 });
    sweepStaleStateDirs(dirname(this.stateDir), this.#runRoot);
    if (this.#cgroup) {
      signalCgroup(this.#cgroup, 'SIGKILL');
      removeCgroup(this.#cgroup);
      mkdirSync(this.#cgroup, { recursive: true });
    }
    writeProfileHook();
    this.#servers.push(await startApiForwarder(this.net.hostIP, API_PORT, new URL(server)));
    const { cert, key } = await selfSignedCert(this.stateDir, this.name, this.net.hostIP);
    this.#servers.push(
      await startKubeletServer({
        host: this.net.hostIP,
        port: KUBELET_PORT,
        cert,
        key,
        find: (...a) => this.#findLog(...a),
        ...(caPem ? { clientCa: Buffer.from(caPem) } : {}),
        streaming: {
          execTarget: (ns, pod, container) => this.execTarget(ns, pod, container),
          attachTarget: (ns, pod, container) => this.#attachTarget(ns, pod, container),
          podAddress: (ns, pod) => {
            const w = this.#workers.get(`${ns}/${pod}`);
            return w?.podIP ? { ip: w.podIP, uid: w.pod.metadata.uid ?? '' } : undefined;
          },
        },
        log: this.#log,
      }),
    );
    const resources = nodeResources(
      { cpu: this.#o.cpu, memory: this.#o.memory, pods: this.#o.pods },
      { cpus: cpus().length, memoryBytes: totalmem() },
    );
    const events = new PodEvents(this.#client, this.name);
    this.#ctx = {
      nodeName: this.name,
      client: this.#client,
      net: this.net,
      ipPool: new IpPool(this.net.prefix),
      podsDir: join(this.stateDir, 'pods'),
      ...(this.#cgroup ? { cgroupRoot: this.#cgroup } : {}),
      allocatable: resources.allocatable,
      caPem,
      apiServerPort: API_PORT,
      hostsFor: (id) => renderHosts(id, serviceRecords(this.#slices.values())),
      backoffBaseMs: this.#o.backoffBaseMs ?? 10_000,
      env: this.#o.env ?? process.env,
      log: this.#log,
      event: (pod, type, reason, message) => events.post(pod, type, reason, message),
    };
    const reg = new NodeRegistration({
      name: this.name,
      client: this.#client,
      net: this.net,
      labels: this.#o.labels ?? {},
      unschedulable: this.#o.unschedulable ?? false,
      kubeletPort: KUBELET_PORT,
      log: this.#log,
    });
    await reg.register(resources);
    await reg.renewLease();
    this.#timers.push(setInterval(() => void reg.renewLease(), 10_000));
    this.#timers.push(setInterval(() => void reg.heartbeat(resources), 60_000));
    this.#watches.push(
      listWatch<Pod>(
        this.#client,
        '/api/v1/pods',
        { fieldSelector: `spec.nodeName=${this.name}` },
        {
          onList: (pods) => this.#syncAll(pods),
          onEvent: (type, pod) => (type === 'DELETED' ? this.#forget(pod) : this.#upsert(pod)),
        },
        this.#log,
      ),
      listWatch<EndpointSlice>(
        this.#client,
        '/apis/discovery.k8s.io/v1/endpointslices',
        {},
        {
          onList: (items) => {
            this.#slices.clear();
            for (const s of items) this.#slices.set(`${s.metadata.namespace}/${s.metadata.name}`, s);
            this.#hostsChanged();
          },
          onEvent: (type, s) => {
            const k = `${s.metadata.namespace}/${s.metadata.name}`;
            if (type === 'DELETED') this.#slices.delete(k);
            else this.#slices.set(k, s);
            this.#hostsChanged();
          },
        },
        this.#log,
      ),
    );
    await reg.waitSchedulable();
    this.#log.info('local node ready', {
      slot: this.net.slot,
      bridge: this.net.bridge,
      hostIP: this.net.hostIP,
    });
  }

  #syncAll(pods: Pod[]): void {
    const seen = new Set(pods.map((p) => p.metadata.uid));
    for (const w of this.#workers.values()) if (!seen.has(w.pod.metadata.uid)) this.#forget(w.pod);
    for (const p of pods) this.#upsert(p);
  }

  #upsert(pod: Pod): void {
    if (this.#stopped) return;
    const key = podKey(pod);
    const w = this.#workers.get(key);
    if (w && w.pod.metadata.uid === pod.metadata.uid) {
      w.update(pod);
      return;
    }
    if (w) this.#forget(w.pod);
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp) {
      // A pod this node never ran (or ran before a restart): nothing to stop, finish the deletion.
      void this.#client
        .request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            gracePeriodSeconds: 0,
            preconditions: { uid: pod.metadata.uid },
          },
        })
        .catch(() => {});
      return;
    }
    if (phase === 'Succeeded' || phase === 'Failed') return;
    const worker = new PodWorker(pod, this.#ctx);
    this.#workers.set(key, worker);
    this.#log.info('pod added', { namespace: pod.metadata.namespace, pod: pod.metadata.name });
    worker.start();
  }

  #forget(pod: Pod): void {
    const key = podKey(pod);
    const w = this.#workers.get(key);
    if (!w || w.pod.metadata.uid !== pod.metadata.uid) return;
    this.#workers.delete(key);
    void w.terminate(false, 0);
  }

  #hostsChanged(): void {
    if (this.#hostsTimer) return;
    this.#hostsTimer = setTimeout(() => {
      this.#hostsTimer = undefined;
      const records = serviceRecords(this.#slices.values());
      for (const w of this.#workers.values()) {
        const id = w.hostsIdentity();
        if (!id || !w.hostsFile) continue;
        try {
          // Written in place: the file is bind-mounted, a rename would not be seen inside the pod.
          writeFileSync(w.hostsFile, renderHosts(id, records));
        } catch (err) {
          this.#log.debug('hosts file write failed', { err });
        }
      }
    }, 200);
  }

  #findLog(
    ns: string,
    pod: string,
    container: string,
    previous: boolean,
  ): LogLocation | { status: number; message: string } {
    const w = this.#workers.get(`${ns}/${pod}`);
    if (!w) return { status: 404, message: `pod "${pod}" does not exist` };
    const spec = [...w.pod.spec.containers, ...(w.pod.spec.initContainers ?? [])];
    if (!spec.some((c) => c.name === container))
      return { status: 404, message: `container "${container}" not found in pod "${pod}"` };
    const cs = w.containerStatus(container);
    if (!cs) return { status: 400, message: `container "${container}" in pod "${pod}" is not available` };
    const n = logRun(pod, container, cs, previous);
    if (typeof n === 'string') return { status: 400, message: n };
    const file = logFileOf(join(w.dir, 'logs'), container, n);
    const live = () => {
      const now = w.container(container)?.status;
      return !!now?.state?.running && now.restartCount === n;
    };
    return { file, live };
  }

  /**
   * Resolves a Service name (`<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>.svc`, `<svc>.<ns>`) to its ready
   * endpoint IPs, as the pods' /etc/hosts do; other names go to the system resolver. Its signature is
   * `net`'s `lookup` option, so a process on the host (e.g. an operator under test talking to a Ray
   * dashboard) can pass it to an http.Agent or fetch dispatcher.
   */
  readonly lookup = (
    hostname: string,
    options: LookupOptions | number | undefined,
    callback: LookupCallback,
  ): void => {
    const ips = this.serviceIPs(hostname);
    const opts = typeof options === 'number' ? { family: options } : (options ?? {});
    if (ips.length === 0) {
      dnsLookup(hostname, opts as LookupOptions, callback as never);
      return;
    }
    if ((opts as LookupOptions).all)
      callback(
        null,
        ips.map((address) => ({ address, family: 4 })),
      );
    else callback(null, ips[0]!, 4);
  };

  /** The ready endpoint IPs of a Service name (empty when the name is not a known Service). */
  serviceIPs(hostname: string): string[] {
    const parts = hostname.replace(/\.$/, '').split('.');
    if (parts.length < 2) return [];
    const [svc, ns, ...rest] = parts as [string, string, ...string[]];
    const suffix = rest.join('.');
    if (suffix !== '' && suffix !== 'svc' && suffix !== 'svc.cluster.local') return [];
    return (
      serviceRecords(this.#slices.values()).find((r) => r.service === svc && r.namespace === ns)?.addresses ??
      []
    );
  }

  /** The pod's IP on this node, once its sandbox exists. */
  podIP(namespace: string, name: string): string | undefined {
    return this.#workers.get(`${namespace}/${name}`)?.podIP;
  }

  /** Where to run a command in a running container of a pod on this node (errors as a kubelet's). */
  execTarget(namespace: string, name: string, container?: string): ExecTarget {
    const w = this.#workers.get(`${namespace}/${name}`);
    if (!w) throw new ExecError('pod does not exist', 404);
    const cname = container ?? w.pod.spec.containers[0]?.name ?? '';
    const c = w.container(cname);
    if (!c?.pid) throw new ExecError(`container not found ("${cname}")`);
    const spec = [...w.pod.spec.containers, ...(w.pod.spec.initContainers ?? [])].find(
      (x) => x.name === cname,
    );
    return { pid: c.pid, env: c.env, workingDir: spec?.workingDir || '/' };
  }

  /** The I/O of a running container's main process, for attach (errors as a kubelet's). */
  #attachTarget(namespace: string, name: string, container: string): ContainerIO {
    const w = this.#workers.get(`${namespace}/${name}`);
    if (!w) throw new ExecError('pod does not exist', 404);
    const io = w.container(container)?.io;
    if (!io || io.ended) throw new ExecError(`container ${container} not found in pod ${name}_${namespace}`);
    return io;
  }

  /** Runs a command inside a running container (its network, mount and UTS namespaces). */
  exec(namespace: string, name: string, argv: readonly string[], container?: string) {
    return execInContainer(this.execTarget(namespace, name, container), argv);
  }

  /** Stops every pod (2 s grace), deletes the Node (unless told not to), frees the network slot. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const w of this.#watches) w.stop();
    for (const t of this.#timers) clearInterval(t);
    if (this.#hostsTimer) clearTimeout(this.#hostsTimer);
    await Promise.all([...this.#workers.values()].map((w) => w.terminate(false, 2)));
    this.#workers.clear();
    if (this.#o.deleteNodeOnStop ?? true) {
      await this.#client.request('DELETE', `/api/v1/nodes/${this.name}`).catch(() => {});
      await this.#client
        .request('DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.name}`)
        .catch(() => {});
    }
    for (const s of this.#servers)
      (s as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    await Promise.all(
      this.#servers.map((s) =>
        new Promise((r) => s.close(r)).then(
          () => {},
          () => {},
        ),
      ),
    );
    if (this.#cgroup) removeCgroup(this.#cgroup);
    await releaseSlot(this.#runRoot, this.net);
    if (this.#onExit) process.removeListener('exit', this.#onExit);
    this.#client.close();
    this.#log.info('local node stopped');
  }
}

/** Removes the pod files of slots that no live node holds (their owners died without cleaning up). */
function sweepStaleStateDirs(stateRoot: string, runRoot: string): void {
  for (const d of readdirSync(stateRoot)) {
    const m = /^slot-(\d+)$/.exec(d);
    if (m && !existsSync(join(runRoot, 'slots', `${m[1]}.json`)))
      rmSync(join(stateRoot, d), { recursive: true, force: true });
  }
}

/**
 * Login shells (`bash -l`, which KubeRay uses with ENABLE_LOGIN_SHELL) reset PATH from /etc/profile; this hook
 * puts the image's directories (the Ray venv) back in front. It does nothing outside pods.
 */
function writeProfileHook(): void {
  try {
    writeFileSync(
      '/etc/profile.d/kuberay-ts-image.sh',
      '# Written by the kuberay-ts local node: keeps an image runtime (e.g. the Ray venv) first on PATH in pods.\n' +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
        'if [ -n "${KUBERAY_TS_IMAGE_PATH:-}" ]; then PATH="$KUBERAY_TS_IMAGE_PATH:$PATH"; export PATH; fi\n',
    );
  } catch {
    // not fatal: only login shells need it
  }
}
