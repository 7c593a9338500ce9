import { ApiError, isAlreadyExists, isNotFound } from '../k8s/api-error.ts';
import type { KubeClient } from '../k8s/client.ts';
import type { KubeObject } from '../k8s/objects.ts';
import { Resources } from '../k8s/resources.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { errorMessage } from '../lib/errors.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';
import { sleep } from './sleep.ts';

/** KubeRay's fixed Lease name. */
export const LEADER_LEASE_NAME = 'ray-operator-leader';

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
export type Lease = KubeObject & { spec?: LeaseSpec };

export interface LeaderElectionOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name?: string;
  /** Unique per process (hostname + random suffix). */
  readonly identity: string;
  /** How long a lease is valid after its last renewal (client-go default 15 s). */
  readonly leaseDurationMs?: number;
  /** The leader gives up if it cannot renew for this long (default 10 s). */
  readonly renewDeadlineMs?: number;
  /** Time between tries while campaigning, and after a failed renewal (default 2 s). */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * The part of the lease duration the leader gives up writing before the lease could expire: room for a write
 * sent just before the deadline to arrive, and for the other replica's observation delay.
 */
const fenceMarginMs = 3000;

/**
 * How long the leader waits after a successful renewal before the next one: half its renew deadline or a third of
 * the time it may write after a renewal (the lease duration minus the fencing margin), whichever is shorter, and
 * never less than the retry period. A failed renewal is retried every retry period, as in client-go.
 * client-go's leader renews every retry period (2 s by default), 30 Lease writes a minute; at the default timings
 * this is every 4 s: failover is unchanged (it depends on the lease duration and the followers' retry period), a
 * renewal keeps 8 s of its 12 s fence to complete, and an idle operator's CPU, most of which the renewals were,
 * drops below KubeRay's (docs/performance.md, session 16).
 */
export function leaderRenewIntervalMs(t: {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}): number {
  return Math.max(t.retryPeriodMs, Math.min(t.renewDeadlineMs / 2, (t.leaseDurationMs - fenceMarginMs) / 3));
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * Leader election on a coordination.k8s.io/v1 Lease, following client-go's algorithm: a lease held by someone
 * else is taken over only after it has not changed for a full lease duration as observed by this process (so
 * clock skew between machines does not matter); the holder renews every `leaderRenewIntervalMs` (retrying a
 * failed renewal every retry period) and steps down when it cannot renew within the renew deadline. `stop()`
 * releases the lease (holderIdentity cleared) at once.
 */
export class LeaderElector {
  readonly #o: Required<Omit<LeaderElectionOptions, 'clock' | 'logger'>>;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  #observed: { raw: string; at: number } | undefined;
  #leader = false;
  /** Until when this process may act as the leader: a lease duration after its last successful renewal began. */
  #validUntil = 0;
  /** The Lease as this process last wrote it, while it leads: the next renewal is one update of it. */
  #mine: Lease | undefined;
  #running: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.#o = {
      name: LEADER_LEASE_NAME,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      ...options,
    };
    if (
      !(this.#o.leaseDurationMs > this.#o.renewDeadlineMs && this.#o.renewDeadlineMs > this.#o.retryPeriodMs)
    )
      throw new RangeError('leader election: need leaseDuration > renewDeadline > retryPeriod');
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? nullLogger).child({ lease: `${options.namespace}/${this.#o.name}` });
  }

  get identity(): string {
    return this.#o.identity;
  }

  isLeader(): boolean {
    return this.#leader;
  }

  /**
   * Whether this process holds a lease no other replica can have taken over yet: leading, and less than the
   * lease duration minus `fenceMarginMs` since its last successful renewal began. After a pause (SIGSTOP, a
   * frozen VM) or a partition this turns false before the renew loop notices, so writes can be refused at once.
   */
  holdsLease(): boolean {
    return this.#leader && this.#clock.now() < this.#validUntil;
  }

  /**
   * Campaigns until elected, calls `onStartedLeading`, renews until the lease is lost (then calls
   * `onStoppedLeading`) or `stop()` is called. Resolves when it is over.
   */
  run(callbacks: { onStartedLeading(): void; onStoppedLeading(): void }): Promise<void> {
    this.#running ??= this.#run(callbacks);
    return this.#running;
  }

  /** Stops campaigning or renewing and, when leading, releases the lease. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
    if (this.#leader) await this.#release();
  }

  async #run(cb: { onStartedLeading(): void; onStoppedLeading(): void }): Promise<void> {
    const signal = this.#abort.signal;
    const { retryPeriodMs, renewDeadlineMs } = this.#o;
    const renewIntervalMs = leaderRenewIntervalMs(this.#o);
    this.#log.info('attempting to acquire leader lease', { identity: this.#o.identity });
    while (!signal.aborted && !(await this.#tryAcquireOrRenew()))
      await sleep(this.#clock, retryPeriodMs * (1 + 0.2 * Math.random()), signal);
    if (signal.aborted) return;
    this.#leader = true;
    this.#log.info('acquired leader lease', { identity: this.#o.identity });
    cb.onStartedLeading();
    let lastRenew = this.#clock.now();
    let failed = false;
    while (!signal.aborted) {
      await sleep(this.#clock, failed ? retryPeriodMs : renewIntervalMs, signal);
      if (signal.aborted) break;
      failed = !(await this.#tryAcquireOrRenew());
      if (!failed) {
        lastRenew = this.#clock.now();
        continue;
      }
      if (this.#clock.now() - lastRenew >= renewDeadlineMs) {
        this.#leader = false;
        this.#log.error('leader lease lost', { identity: this.#o.identity });
        cb.onStoppedLeading();
        return;
      }
    }
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity, leaseDurationMs } = this.#o;
    const now = this.#clock.now();
    const spec = (old: LeaseSpec | undefined): LeaseSpec => ({
      holderIdentity: identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(leaseDurationMs / 1000)),
      acquireTime: old?.holderIdentity === identity && old.acquireTime ? old.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (old?.leaseTransitions ?? 0) + (old && old.holderIdentity !== identity ? 1 : 0),
    });
    // While it holds the Lease, renewing is one update of the Lease it last wrote, as client-go's leader does; a
    // conflict (someone else wrote it) or any error falls back to reading it first.
    const mine = this.#mine;
    this.#mine = undefined;
    if (mine && this.holdsLease()) {
      try {
        const updated = await client.update<Lease>(Resources.leases, { ...mine, spec: spec(mine.spec) });
        return this.#renewed(updated, now);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 409))
          this.#log.warn('leader lease renewal failed, reading it again', { error: errorMessage(err) });
      }
    }
    try {
      const lease = await client.getOrUndefined<Lease>(Resources.leases, namespace, name);
      if (!lease) {
        const created = await client.create<Lease>(Resources.leases, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { namespace, name },
          spec: { ...spec(undefined), leaseTransitions: 0 },
        });
        return this.#renewed(created, now);
      }
      const raw = JSON.stringify(lease.spec ?? {});
      if (this.#observed?.raw !== raw) this.#observed = { raw, at: now };
      const holder = lease.spec?.holderIdentity;
      const validFor = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
      if (holder && holder !== identity && this.#observed.at + validFor > now) return false;
      const updated = await client.update<Lease>(Resources.leases, { ...lease, spec: spec(lease.spec) });
      return this.#renewed(updated, now);
    } catch (err) {
      if (!(isAlreadyExists(err) || (err instanceof ApiError && err.status === 409)))
        this.#log.warn('leader lease update failed', { error: errorMessage(err) });
      return false;
    }
  }

  /** Records a Lease this process has just written (created, acquired or renewed) at `now`. */
  #renewed(lease: Lease, now: number): true {
    this.#observed = { raw: JSON.stringify(lease.spec ?? {}), at: now };
    this.#validUntil = now + this.#o.leaseDurationMs - fenceMarginMs;
    this.#mine = lease;
    return true;
  }

  async #release(): Promise<void> {
    const { client, namespace, name, identity } = this.#o;
    try {
      const lease = await client.get<Lease>(Resources.leases, namespace, name);
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(this.#clock.now());
      await client.update<Lease>(Resources.leases, {
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: now,
          acquireTime: now,
        },
      });
      this.#log.info('released leader lease', { identity });
    } catch (err) {
      if (!isNotFound(err)) this.#log.warn('leader lease release failed', { error: errorMessage(err) });
    } finally {
      this.#leader = false;
    }
  }
}
