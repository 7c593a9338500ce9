import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, ContainerStatus, Pod, PodStatus } from '../../api/k8s-types.ts';
import { isNotFound } from '../../k8s/api-error.ts';
import type { RestClient } from '../../k8s/rest.ts';
import type { Logger } from '../../lib/logger.ts';
import { removeCgroup } from './cgroups.ts';
import { type ContainerOutcome, ContainerWorker } from './container-worker.ts';
import { buildArgv, buildEnv, ContainerConfigError, type NodeAllocatable, type PodSources } from './env.ts';
import type { PodStateFile } from './exec.ts';
import type { PodHostsIdentity } from './hosts.ts';
import { CONTAINER_DEFAULT_PATH, type ImageRuntime, resolveImage } from './images.ts';
import type { IpPool, NodeNetwork } from './ippool.ts';
import { createPodNetwork, destroyNetns } from './network.ts';
import { fetchSources, requestToken } from './pod-sources.ts';
import { type Sandbox, startSandbox } from './sandbox.ts';
import { computePodStatus } from './status.ts';
import { containerMounts, materializeAutoToken, materializeVolumes, wantsAutoToken } from './volumes.ts';

/** What every pod worker shares: the node's identity, network, API access and settings. */
export interface NodeContext {
  readonly nodeName: string;
  readonly client: RestClient;
  readonly net: NodeNetwork;
  readonly ipPool: IpPool;
  readonly podsDir: string;
  readonly cgroupRoot?: string;
  readonly allocatable: NodeAllocatable;
  readonly caPem: string;
  /** How pods reach the API server (the forwarder on the bridge, by its in-cluster name). */
  readonly apiServerPort: number;
  readonly hostsFor: (id: PodHostsIdentity) => string;
  readonly backoffBaseMs: number;
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly event: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where a pod's files live: `<podsDir>/<namespace>_<name>_<uid>`. */
function podDirName(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}_${pod.metadata.name}_${pod.metadata.uid}`;
}

/** Runs one pod: sandbox, volumes, init containers, containers, status, and its deletion. */
export class PodWorker {
  pod: Pod;
  readonly dir: string;
  readonly #ctx: NodeContext;
  readonly #log: Logger;
  readonly #startTime = new Date().toISOString();
  #images = new Map<string, ImageRuntime>();
  #waiting = new Map<string, ContainerStatus>();
  #init: ContainerWorker[] = [];
  #main: ContainerWorker[] = [];
  #sandbox: Sandbox | undefined;
  #podIP: string | undefined;
  #netns: string | undefined;
  #initialized = false;
  #failed: { reason: string; message: string } | undefined;
  #stopping = false;
  #terminated: Promise<void> | undefined;
  #lastStatus: PodStatus | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #volumePaths = new Map<string, string>();
  #autoToken: string | undefined;

  constructor(pod: Pod, ctx: NodeContext) {
    this.pod = pod;
    this.#ctx = ctx;
    this.dir = join(ctx.podsDir, podDirName(pod));
    this.#log = ctx.log.child({ namespace: pod.metadata.namespace, pod: pod.metadata.name });
  }

  get podIP(): string | undefined {
    return this.#podIP;
  }

  get sandboxPid(): number | undefined {
    return this.#sandbox?.pid;
  }

  /** The container worker of a (main or init) container. */
  container(name: string): ContainerWorker | undefined {
    return [...this.#main, ...this.#init].find((w) => w.status.name === name);
  }

  /** The current status of a (main or init) container, as the node would report it now. */
  containerStatus(name: string): ContainerStatus | undefined {
    const s = this.pod.spec;
    return [
      ...this.#statuses(s.initContainers ?? [], this.#init, true),
      ...this.#statuses(s.containers, this.#main, false),
    ].find((c) => c.name === name);
  }

  /** Rewrites the pod's /etc/hosts (Services changed). */
  hostsIdentity(): PodHostsIdentity | undefined {
    if (!this.#podIP) return undefined;
    const s = this.pod.spec;
    return {
      namespace: this.pod.metadata.namespace ?? 'default',
      hostname: s.hostname ?? this.pod.metadata.name ?? '',
      ...(s.subdomain ? { subdomain: s.subdomain } : {}),
      podIP: this.#podIP,
      apiServerIP: this.#ctx.net.hostIP,
    };
  }

  get hostsFile(): string | undefined {
    return this.#sandbox?.hostsFile;
  }

  start(): void {
    this.#run().catch((err) => this.#log.error('pod worker failed', { err }));
  }

  /** A newer version of the pod from the API server. */
  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp) void this.terminate(true);
  }

  /**
   * Stops every container (SIGTERM, the pod's grace period, SIGKILL), removes the sandbox, and when
   * `deleteObject` finishes the deletion in the API (DELETE with gracePeriodSeconds=0).
   */
  terminate(deleteObject: boolean, graceOverrideS?: number): Promise<void> {
    this.#terminated ??= (async () => {
      this.#stopping = true;
      const graceS =
        graceOverrideS ??
        this.pod.metadata.deletionGracePeriodSeconds ??
        this.pod.spec.terminationGracePeriodSeconds ??
        30;
      const names = this.#main.map((w) => w.status.name).join(', ');
      if (names) this.#ctx.event(this.pod, 'Normal', 'Killing', `Stopping container ${names}`);
      await Promise.all([...this.#main, ...this.#init].map((w) => w.stop(graceS * 1000)));
      await this.#teardown();
      rmSync(this.dir, { recursive: true, force: true });
      if (deleteObject) await this.#deleteObject();
      this.#log.info('pod terminated');
    })();
    return this.#terminated;
  }

  async #deleteObject(): Promise<void> {
    const { namespace, name, uid } = this.pod.metadata;
    await this.#flushing;
    await this.#ctx.client
      .request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, {
        body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } },
      })
      .catch((err) => this.#log.debug('final pod delete failed', { err }));
  }

  async #teardown(): Promise<void> {
    this.#sandbox?.kill();
    if (this.#netns) await destroyNetns(this.#netns);
    if (this.#ctx.cgroupRoot) removeCgroup(join(this.#ctx.cgroupRoot, this.pod.metadata.uid ?? 'none'));
    if (this.#podIP) this.#ctx.ipPool.release(this.#podIP);
    this.#netns = undefined;
    this.#sandbox = undefined;
  }

  async #run(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.#changed();
    if (!(await this.#resolveImages())) return;
    await this.#startSandbox();
    // terminate() may have run while the sandbox was being built: undo what it could not see.
    if (this.#stopping) return this.#teardown();
    if (!(await this.#prepareVolumes()) || this.#stopping) return this.#teardown();
    const s = this.pod.spec;
    const policy = s.restartPolicy ?? 'Always';
    for (const c of s.initContainers ?? []) {
      const w = this.#worker(c, true, policy);
      this.#init.push(w);
    }
    for (const w of this.#init) {
      const outcome = await w.run();
      if (outcome === 'stopped' || this.#stopping) return;
      if (outcome === 'failed') {
        this.#failed = { reason: 'Failed', message: `init container ${w.status.name} failed` };
        return this.#finish();
      }
    }
    this.#initialized = true;
    // Created only now: until the init containers are done, the main ones wait with PodInitializing.
    this.#main = s.containers.map((c) => this.#worker(c, false, policy));
    this.#changed();
    const outcomes: ContainerOutcome[] = await Promise.all(this.#main.map((w) => w.run()));
    if (!this.#stopping && !outcomes.includes('stopped')) await this.#finish();
  }

  /** The pod reached Succeeded or Failed: its processes and network go, its logs stay until deletion. */
  async #finish(): Promise<void> {
    this.#changed();
    await this.#teardown();
  }

  async #resolveImages(): Promise<boolean> {
    const all = [...(this.pod.spec.initContainers ?? []), ...this.pod.spec.containers];
    for (let attempt = 0; !this.#stopping; attempt++) {
      this.#waiting.clear();
      for (const c of all) {
        const r = resolveImage(c.image, this.#ctx.env);
        if (r.ok) this.#images.set(c.name, r.runtime);
        else {
          this.#waiting.set(c.name, this.#waitingStatus(c, r.reason, r.message));
          if (attempt === 0)
            this.#ctx.event(this.pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${r.message}`);
        }
      }
      this.#changed();
      if (this.#waiting.size === 0) return true;
      await sleep(Math.min(5000 * 2 ** attempt, 60_000));
    }
    return false;
  }

  #waitingStatus(c: Container, reason: string, message: string): ContainerStatus {
    return {
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason, message } },
      lastState: {},
    };
  }

  /** Builds the network namespace and sandbox, retrying with back-off (event FailedCreatePodSandBox). */
  async #startSandbox(): Promise<void> {
    for (let attempt = 0; !this.#stopping; attempt++) {
      try {
        this.#podIP ??= this.#ctx.ipPool.allocate();
        this.#netns = await createPodNetwork(this.#ctx.net, this.pod.metadata.uid!, this.#podIP);
        this.#sandbox = await startSandbox({
          podDir: this.dir,
          netns: this.#netns,
          hostname: this.pod.spec.hostname ?? this.pod.metadata.name ?? '',
          hosts: this.#ctx.hostsFor(this.hostsIdentity()!),
        });
        this.#log.info('pod sandbox started', { podIP: this.#podIP, sandboxPid: this.#sandbox.pid });
        this.#changed();
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.#log.warn('pod sandbox failed', { err });
        this.#ctx.event(
          this.pod,
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: ${message}`,
        );
        if (this.#netns) await destroyNetns(this.#netns);
        this.#netns = undefined;
        await sleep(Math.min(1000 * 2 ** attempt, 30_000));
      }
    }
  }

  async #prepareVolumes(): Promise<boolean> {
    for (let attempt = 0; !this.#stopping; attempt++) {
      try {
        const ctx = {
          sources: await this.#sources(),
          allocatable: this.#ctx.allocatable,
          caPem: this.#ctx.caPem,
          token: this.#token,
        };
        this.#volumePaths = await materializeVolumes(this.#podWithIP(), this.dir, ctx);
        if (wantsAutoToken(this.pod)) this.#autoToken = await this.#autoTokenVolume(ctx);
        return true;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (attempt === 0)
          this.#ctx.event(this.pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed: ${message}`);
        for (const c of [...(this.pod.spec.initContainers ?? []), ...this.pod.spec.containers])
          this.#waiting.set(
            c.name,
            this.#waitingStatus(
              c,
              err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'ContainerCreating',
              message,
            ),
          );
        this.#changed();
        await sleep(Math.min(2000 * 2 ** attempt, 30_000));
      }
    }
    return false;
  }

  /**
   * The service-account volume the ServiceAccount admission plugin would have added. Best effort: a namespace's
   * `default` ServiceAccount appears a moment after the namespace, so this waits up to ~6 s, then goes without.
   */
  async #autoTokenVolume(ctx: Parameters<typeof materializeAutoToken>[2]): Promise<string | undefined> {
    for (let i = 0; ; i++) {
      try {
        return await materializeAutoToken(this.pod, this.dir, ctx);
      } catch (err) {
        if (i >= 5 || this.#stopping) {
          this.#log.warn('no service-account token for the pod', { err });
          return undefined;
        }
        await sleep(1000);
      }
    }
  }

  #token = (audience: string | undefined, expirationSeconds: number): Promise<string> =>
    requestToken(this.#ctx.client, this.pod, audience, expirationSeconds);

  #sources(): Promise<PodSources> {
    return fetchSources(this.#ctx.client, this.pod);
  }

  #podWithIP(): Pod {
    return {
      ...this.pod,
      status: {
        ...this.pod.status,
        podIP: this.#podIP,
        podIPs: [{ ip: this.#podIP! }],
        hostIP: this.#ctx.net.hostIP,
        hostIPs: [{ ip: this.#ctx.net.hostIP }],
      },
    };
  }

  #worker(c: Container, isInit: boolean, policy: string): ContainerWorker {
    const rt = this.#images.get(c.name)!;
    const uid = this.pod.metadata.uid ?? 'none';
    return new ContainerWorker({
      container: c,
      image: c.image ?? '',
      imageID: `local-node://${rt.runtime}`,
      isInit,
      restartPolicy: policy,
      sandboxPid: this.#sandbox!.pid,
      podIP: this.#podIP!,
      podUid: uid,
      logDir: join(this.dir, 'logs'),
      ...(this.#ctx.cgroupRoot ? { cgroup: join(this.#ctx.cgroupRoot, uid, c.name) } : {}),
      prepare: () => this.#prepare(c, rt),
      graceMs: () => (this.pod.spec.terminationGracePeriodSeconds ?? 30) * 1000,
      backoffBaseMs: this.#ctx.backoffBaseMs,
      onChange: () => this.#changed(),
      event: (type, reason, message) => this.#ctx.event(this.pod, type, reason, message),
      log: this.#log.child({ container: c.name }),
    });
  }

  async #prepare(c: Container, rt: ImageRuntime) {
    const pod = this.#podWithIP();
    const base: Record<string, string> = {
      PATH: [...rt.path, CONTAINER_DEFAULT_PATH].join(':'),
      HOSTNAME: pod.spec.hostname ?? pod.metadata.name ?? '',
      HOME: '/root',
      KUBERNETES_SERVICE_HOST: 'kubernetes.default.svc',
      KUBERNETES_SERVICE_PORT: String(this.#ctx.apiServerPort),
      KUBERNETES_SERVICE_PORT_HTTPS: String(this.#ctx.apiServerPort),
      ...rt.env,
    };
    const env = buildEnv(pod, c, await this.#sources(), this.#ctx.allocatable, base);
    let argv = buildArgv(c, env, rt);
    if (rt.rewrite) argv = rt.rewrite(argv);
    if (argv.length === 0) throw new ContainerConfigError(`container ${c.name}: no command to run`);
    if (this.#ctx.cgroupRoot)
      mkdirSync(join(this.#ctx.cgroupRoot, this.pod.metadata.uid ?? 'none', c.name), { recursive: true });
    return {
      argv,
      env,
      workingDir: c.workingDir || rt.workingDir || '/',
      mounts: containerMounts(this.pod, c, this.#volumePaths, this.#autoToken),
    };
  }

  #statuses(
    list: readonly Container[],
    workers: readonly ContainerWorker[],
    isInit: boolean,
  ): ContainerStatus[] {
    return list.map((c) => {
      const w = workers.find((x) => x.status.name === c.name);
      if (w) return { ...w.status };
      return (
        this.#waiting.get(c.name) ??
        this.#waitingStatus(
          c,
          isInit ? 'PodInitializing' : this.#initialized ? 'ContainerCreating' : 'PodInitializing',
          '',
        )
      );
    });
  }

  /** Something changed: write the status soon (changes within 100 ms are written once). */
  #changed(): void {
    if (this.#flushTimer) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#writeState();
      this.#flushing = this.#flushing.then(() => this.#flush());
    }, 100);
  }

  /** The file `local-node exec` reads to find the pod's processes. */
  #writeState(): void {
    if (!this.#sandbox || this.#stopping) return;
    const containers: PodStateFile['containers'] = {};
    for (const w of [...this.#init, ...this.#main]) {
      const spec =
        this.pod.spec.containers.find((c) => c.name === w.status.name) ??
        this.pod.spec.initContainers?.find((c) => c.name === w.status.name);
      containers[w.status.name] = {
        ...(w.pid ? { pid: w.pid } : {}),
        env: { ...w.env },
        workingDir: spec?.workingDir || this.#images.get(w.status.name)?.workingDir || '/',
      };
    }
    const st: PodStateFile = {
      namespace: this.pod.metadata.namespace ?? 'default',
      name: this.pod.metadata.name ?? '',
      uid: this.pod.metadata.uid ?? '',
      sandboxPid: this.#sandbox.pid,
      defaultContainer:
        this.pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ??
        this.pod.spec.containers[0]?.name,
      containers,
    };
    try {
      writeFileSync(join(this.dir, 'state.json'), JSON.stringify(st), { mode: 0o600 });
    } catch (err) {
      this.#log.debug('pod state write failed', { err });
    }
  }

  async #flush(): Promise<void> {
    if (this.#terminated && !this.#sandbox && this.#stopping) return;
    const s = this.pod.spec;
    const status = computePodStatus(
      {
        restartPolicy: s.restartPolicy ?? 'Always',
        hostIP: this.#ctx.net.hostIP,
        ...(this.#podIP ? { podIP: this.#podIP } : {}),
        startTime: this.#startTime,
        sandboxReady: !!this.#sandbox,
        initialized: this.#initialized || (s.initContainers ?? []).length === 0,
        ...(this.#failed ? { failed: this.#failed } : {}),
        init: this.#statuses(s.initContainers ?? [], this.#init, true),
        containers: this.#statuses(s.containers, this.#main, false),
      },
      this.#lastStatus,
      new Date().toISOString(),
    );
    for (const cs of status.containerStatuses ?? [])
      if (cs.state?.waiting && !cs.state.waiting.message) delete cs.state.waiting.message;
    if (JSON.stringify(status) === JSON.stringify(this.#lastStatus)) return;
    const { namespace, name } = this.pod.metadata;
    try {
      await this.#ctx.client.request('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`, {
        body: { status },
        contentType: 'application/merge-patch+json',
      });
      this.#lastStatus = status;
    } catch (err) {
      if (isNotFound(err)) return;
      this.#log.warn('pod status write failed', { err });
      setTimeout(() => this.#changed(), 1000);
    }
  }
}
