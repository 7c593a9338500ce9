import { join } from 'node:path';
import type { Container, ContainerStatus, Probe } from '../../api/k8s-types.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ContainerIO } from './container-io.ts';
import { type ContainerProcess, type ContainerSpawn, spawnContainer } from './container-process.ts';
import { ContainerConfigError } from './env.ts';
import { ProbeState, runProbe } from './probes.ts';

/** How the pod worker builds one run of a container (env, argv, mounts) just before starting it. */
type PrepareContainer = () => Promise<Omit<ContainerSpawn, 'sandboxPid' | 'logFile' | 'cgroup'>>;

interface ContainerWorkerOptions {
  readonly container: Container;
  readonly image: string;
  readonly imageID: string;
  readonly isInit: boolean;
  readonly restartPolicy: string;
  readonly sandboxPid: number;
  readonly podIP: string;
  readonly podUid: string;
  readonly logDir: string;
  readonly cgroup?: string;
  readonly prepare: PrepareContainer;
  readonly graceMs: () => number;
  readonly backoffBaseMs: number;
  readonly onChange: () => void;
  readonly event: (type: 'Normal' | 'Warning', reason: string, message: string) => void;
  readonly log: Logger;
}

/** The outcome of a container that will not run again. */
export type ContainerOutcome = 'succeeded' | 'failed' | 'stopped';

const MAX_BACKOFF_MS = 300_000;

/** The log file of a container's n-th run. */
export function logFileOf(logDir: string, name: string, restartCount: number): string {
  return join(logDir, name, `${restartCount}.log`);
}

/**
 * Runs one container for the life of its pod: starts it, probes it, restarts it by the restart policy with
 * the kubelet's back-off (10 s doubling to 5 min), and keeps its ContainerStatus current.
 */
export class ContainerWorker {
  readonly status: ContainerStatus;
  readonly #o: ContainerWorkerOptions;
  #proc: ContainerProcess | undefined;
  #env: Readonly<Record<string, string>> = {};
  #stopping = false;
  #wake: (() => void) | undefined;
  readonly #probeTimers = new Set<NodeJS.Timeout>();
  #probeGen = 0;
  #killReason: string | undefined;

  constructor(o: ContainerWorkerOptions) {
    this.#o = o;
    this.status = {
      name: o.container.name,
      image: o.image,
      imageID: o.imageID,
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: o.isInit ? 'PodInitializing' : 'ContainerCreating' } },
      lastState: {},
    };
  }

  /** The running main process's pid (for exec and exec probes). */
  get pid(): number | undefined {
    return this.status.state?.running ? this.#proc?.pid : undefined;
  }

  /** The running main process's I/O (for attach). */
  get io(): ContainerIO | undefined {
    return this.status.state?.running ? this.#proc?.io : undefined;
  }

  get env(): Readonly<Record<string, string>> {
    return this.#env;
  }

  /** Runs until the container is done for good (or stop() is called). */
  async run(): Promise<ContainerOutcome> {
    const o = this.#o;
    const name = o.container.name;
    let configFailures = 0;
    for (let run = 0; !this.#stopping; run++) {
      let spec: Awaited<ReturnType<PrepareContainer>>;
      try {
        spec = await o.prepare();
        configFailures = 0;
      } catch (err) {
        const reason =
          err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError';
        const message = err instanceof Error ? err.message : String(err);
        this.#set({ waiting: { reason, message } }, false);
        o.event('Warning', 'Failed', `Error: ${message}`);
        await this.#sleep(Math.min(1000 * 2 ** configFailures++, 10_000));
        continue;
      }
      if (this.#stopping) break;
      if (run > 0) this.status.restartCount++;
      const logFile = logFileOf(o.logDir, name, this.status.restartCount);
      const startedAt = new Date().toISOString();
      const proc = spawnContainer({
        ...spec,
        sandboxPid: o.sandboxPid,
        logFile,
        ...(o.cgroup ? { cgroup: o.cgroup } : {}),
        stdin: !!o.container.stdin,
        stdinOnce: !!o.container.stdinOnce,
        tty: !!o.container.tty,
      });
      this.#proc = proc;
      this.#env = spec.env;
      this.status.containerID = `local://${o.podUid}/${name}/${this.status.restartCount}`;
      const p = o.container;
      this.status.started = !p.startupProbe;
      this.#set({ running: { startedAt } }, !p.readinessProbe && !p.startupProbe && !o.isInit);
      o.event('Normal', 'Started', `Started container ${name}`);
      if (!o.isInit) this.#startProbes();
      const exit = await proc.exited;
      this.#stopProbes();
      const finishedAt = new Date().toISOString();
      const reason = this.#killReason ? 'Error' : exit.code === 0 ? 'Completed' : 'Error';
      const terminated = {
        exitCode: exit.code,
        ...(exit.signal ? { signal: exit.signal } : {}),
        reason,
        ...(this.#killReason ? { message: this.#killReason } : {}),
        startedAt,
        finishedAt,
      };
      this.#killReason = undefined;
      this.status.started = false;
      this.#set({ terminated }, false);
      // Daemonized children (Ray's raylet, GCS) outlive `ray start`: end them with the container.
      await proc.stop(0);
      if (this.#stopping) return 'stopped';
      const ok = exit.code === 0;
      const restart = o.isInit
        ? !ok && o.restartPolicy !== 'Never'
        : o.restartPolicy === 'Always' || (o.restartPolicy === 'OnFailure' && !ok);
      if (!restart) return ok ? 'succeeded' : 'failed';
      const ranMs = Date.parse(finishedAt) - Date.parse(startedAt);
      const delay =
        ranMs > 600_000 || this.status.restartCount === 0
          ? 0
          : Math.min(o.backoffBaseMs * 2 ** (this.status.restartCount - 1), MAX_BACKOFF_MS);
      this.status.lastState = { terminated };
      if (delay > 0) {
        const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${name}`;
        this.#set({ waiting: { reason: 'CrashLoopBackOff', message } }, false);
        o.event('Warning', 'BackOff', `Back-off restarting failed container ${name}`);
        await this.#sleep(delay);
      }
    }
    return 'stopped';
  }

  /** Stops the container for good: SIGTERM, the grace period, SIGKILL. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#stopProbes();
    this.#wake?.();
    const proc = this.#proc;
    if (proc) await proc.stop(graceMs);
  }

  #set(state: ContainerStatus['state'], ready: boolean): void {
    this.status.state = state;
    this.status.ready = ready;
    this.#o.onChange();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  #stopProbes(): void {
    this.#probeGen++;
    for (const t of this.#probeTimers) clearTimeout(t);
    this.#probeTimers.clear();
  }

  #startProbes(): void {
    const c = this.#o.container;
    if (c.startupProbe) {
      this.#loop(c.startupProbe, 'Startup', (ok) => {
        if (ok) {
          this.status.started = true;
          if (!c.readinessProbe) this.status.ready = true;
          this.#o.onChange();
          this.#steadyProbes();
          return false;
        }
        this.#kill('Startup probe failed');
        return false;
      });
    } else {
      this.#steadyProbes();
    }
  }

  #steadyProbes(): void {
    const c = this.#o.container;
    if (c.readinessProbe)
      this.#loop(c.readinessProbe, 'Readiness', (ok) => {
        this.status.ready = ok && !!this.status.state?.running;
        this.#o.onChange();
        return true;
      });
    if (c.livenessProbe)
      this.#loop(c.livenessProbe, 'Liveness', (ok) => {
        if (!ok) this.#kill('Liveness probe failed');
        return ok;
      });
  }

  #kill(why: string): void {
    const name = this.#o.container.name;
    this.#o.event('Normal', 'Killing', `Container ${name} ${why.toLowerCase()}, will be restarted`);
    this.#killReason = why;
    this.#stopProbes();
    void this.#proc?.stop(this.#o.graceMs());
  }

  /** Probes every period; `onVerdict` runs when the verdict changes and returns whether to keep probing. */
  #loop(p: Probe, kind: string, onVerdict: (ok: boolean) => boolean): void {
    const gen = this.#probeGen;
    const state = new ProbeState(p);
    const target = {
      podIP: this.#o.podIP,
      container: this.#o.container,
      pid: () => this.pid,
      env: this.#env,
    };
    const schedule = (ms: number) => {
      const t = setTimeout(() => {
        this.#probeTimers.delete(t);
        void tick();
      }, ms);
      this.#probeTimers.add(t);
    };
    const tick = async () => {
      if (gen !== this.#probeGen) return;
      const failure = await runProbe(p, target);
      if (gen !== this.#probeGen) return;
      if (failure) this.#o.event('Warning', 'Unhealthy', `${kind} probe failed: ${failure}`);
      const changed = state.record(!failure);
      if (changed && !onVerdict(state.result!)) return;
      if (gen === this.#probeGen) schedule((p.periodSeconds ?? 10) * 1000);
    };
    schedule((p.initialDelaySeconds ?? 0) * 1000);
  }
}
