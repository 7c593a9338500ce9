import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { KubeClient } from '../k8s/client.ts';
import type { RestClient } from '../k8s/rest.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { errorMessage } from '../lib/errors.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';
import { boundPort, closeServer, serveMetrics, serveProbes } from './endpoints.ts';
import type { InformerFactory } from './informer-factory.ts';
import { type LeaderElectionOptions, LeaderElector } from './leader-election.ts';

/** Anything the manager starts and stops: controllers, or other loops. */
export interface Runnable {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

/** What the manager uses of the shared informers (an InformerFactory). */
export type ManagerInformers = Pick<
  InformerFactory,
  'start' | 'stop' | 'waitForSync' | 'hasSynced' | 'informers'
>;

interface ManagerOptions {
  readonly client: KubeClient;
  readonly informers: ManagerInformers;
  readonly registry: Registry;
  /** Bind address of /metrics (default ':8080'; '0' disables). */
  readonly metricsAddr?: string;
  /** Bind address of /healthz and /readyz (default ':8082'; '0' disables). */
  readonly probeAddr?: string;
  /** Leader election; undefined runs controllers at once (as --enable-leader-election=false). */
  readonly leaderElection?: Omit<LeaderElectionOptions, 'client' | 'clock' | 'logger'>;
  /** Give up (done = 'sync-failed') when informers have not synced after this long; default 120 s. */
  readonly cacheSyncTimeoutMs?: number;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

type StopReason = 'stopped' | 'leadership-lost' | 'sync-failed';

/**
 * Runs an operator: serves metrics and probes (/readyz only once the informers have synced), starts the shared informers, waits for their caches, and runs
 * the controllers only while it is the leader. `stop()` stops taking work, lets in-flight reconciles finish,
 * then releases the lease. `done` resolves with the reason the manager ended.
 */
export class Manager {
  readonly #o: ManagerOptions;
  readonly #log: Logger;
  readonly #runnables: Runnable[] = [];
  readonly #elector: LeaderElector | undefined;
  #servers: (Server | undefined)[] = [];
  #running = false;
  #stopping: Promise<void> | undefined;
  #resolveDone!: (r: StopReason) => void;
  readonly done: Promise<StopReason>;

  constructor(options: ManagerOptions) {
    this.#o = options;
    this.#log = (options.logger ?? nullLogger).child({ component: 'manager' });
    this.done = new Promise((r) => {
      this.#resolveDone = r;
    });
    if (options.leaderElection)
      this.#elector = new LeaderElector({
        ...options.leaderElection,
        client: options.client,
        clock: options.clock ?? systemClock,
        logger: options.logger ?? nullLogger,
      });
    this.fence(options.client.rest);
  }

  /**
   * Fencing (better than client-go, which has none): with leader election on, a replica whose lease may have
   * passed to another (it was paused or cut off) refuses every write through `rest` but its own Lease's, so
   * two replicas never write at once. The manager's client is fenced; fence any other client that writes.
   */
  fence(rest: RestClient): void {
    const elector = this.#elector;
    if (!elector) return;
    rest.setWriteGuard((_method, path) =>
      elector.holdsLease() || isLeasePath(path)
        ? undefined
        : 'write refused: this replica does not hold a valid leader lease (paused or cut off from the API server)',
    );
  }

  add(r: Runnable): void {
    if (this.#running) throw new Error(`manager already started; cannot add ${r.name}`);
    this.#runnables.push(r);
  }

  get metricsPort(): number | undefined {
    return boundPort(this.#servers[0]);
  }
  get probePort(): number | undefined {
    return boundPort(this.#servers[1]);
  }
  isLeader(): boolean {
    return this.#elector ? this.#elector.isLeader() : this.#running;
  }

  /** Ready (what /readyz answers): every shared informer has synced and the manager is not stopping. */
  ready(): boolean {
    return this.#stopping === undefined && this.#o.informers.hasSynced();
  }

  /** Starts serving and syncing; returns once the endpoints listen (the rest continues in the background). */
  async start(): Promise<void> {
    const { registry, informers } = this.#o;
    this.#servers = [
      await serveMetrics(this.#o.metricsAddr ?? ':8080', registry),
      await serveProbes(this.#o.probeAddr ?? ':8082', () => this.ready()),
    ];
    this.#log.info('serving endpoints', { metricsPort: this.metricsPort, probePort: this.probePort });
    informers.start();
    void this.#afterSync();
  }

  async #afterSync(): Promise<void> {
    const clock = this.#o.clock ?? systemClock;
    let cancelTimer = () => {};
    const timeout = new Promise<false>((resolve) => {
      cancelTimer = clock.setTimeout(() => resolve(false), this.#o.cacheSyncTimeoutMs ?? 120_000);
    });
    const synced = await Promise.race([this.#o.informers.waitForSync(), timeout]);
    cancelTimer();
    if (this.#stopping) return;
    if (!synced) {
      this.#log.error('informer caches did not sync', {
        unsynced: this.#o.informers
          .informers()
          .filter((i) => !i.hasSynced())
          .map((i) => i.type.plural),
      });
      void this.#shutdown('sync-failed');
      return;
    }
    this.#log.info('informer caches synced');
    if (!this.#elector) return this.#startRunnables();
    void this.#elector.run({
      onStartedLeading: () => void this.#startRunnables(),
      onStoppedLeading: () => void this.#shutdown('leadership-lost'),
    });
  }

  async #startRunnables(): Promise<void> {
    if (this.#stopping) return;
    this.#running = true;
    for (const r of this.#runnables) {
      try {
        await r.start();
      } catch (err) {
        this.#log.error('runnable failed to start', { runnable: r.name, error: errorMessage(err) });
      }
    }
  }

  /** Graceful stop: controllers drain, informers stop, the lease is released, endpoints close. */
  stop(): Promise<void> {
    return this.#shutdown('stopped');
  }

  #shutdown(reason: StopReason): Promise<void> {
    this.#stopping ??= (async () => {
      this.#log.info('stopping', { reason });
      await Promise.all(this.#runnables.map((r) => r.stop().catch(() => {})));
      await this.#elector?.stop();
      await this.#o.informers.stop();
      await Promise.all(this.#servers.map(closeServer));
      this.#log.info('stopped', { reason });
      this.#resolveDone(reason);
    })();
    return this.#stopping;
  }
}

const isLeasePath = (path: string) => path.startsWith('/apis/coordination.k8s.io/');
