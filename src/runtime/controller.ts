import { randomUUID } from 'node:crypto';
import { withFlow } from '../k8s/flow.ts';
import { type KubeObject, splitKey } from '../k8s/objects.ts';
import { type Clock, systemClock } from '../lib/clock.ts';
import { errorMessage, TerminalError } from '../lib/errors.ts';
import { type Logger, nullLogger } from '../lib/logger.ts';
import { reconcileErrorKind } from './error-kind.ts';
import type { Informer } from './informer.ts';
import type { RuntimeMetrics } from './metrics.ts';
import type { ChangeEvent, Predicate } from './predicates.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { WorkQueue } from './workqueue.ts';

export interface ReconcileRequest {
  readonly namespace: string | undefined;
  readonly name: string;
  /** `namespace/name` (or `name`), the queue key. */
  readonly key: string;
}

export interface ReconcileResult {
  /** Reconcile the key again after this many milliseconds (and reset its backoff). */
  readonly requeueAfter?: number;
  /** Reconcile again with the per-key backoff (as if it failed, without logging an error). */
  readonly requeue?: boolean;
  /**
   * The reconcile stopped early to let the keys waiting in the queue have their turn (see
   * `ReconcileContext.othersWaiting`): reconcile again right after them, with no backoff.
   */
  readonly yielded?: boolean;
}

export interface ReconcileContext {
  readonly logger: Logger;
  readonly reconcileId: string;
  /** Aborted when the controller stops; long waits should honour it. */
  readonly signal: AbortSignal;
  /**
   * True while other keys wait in the queue for a free worker. A reconcile with a long run of writes ahead
   * (a scale-up of many pods) checks it between writes, stops, and returns `{ yielded: true }`.
   */
  readonly othersWaiting: () => boolean;
}

/**
 * Reconciles one key. Return a result (or nothing) on success; throw to retry with backoff; throw a
 * TerminalError (src/lib/errors.ts) when retrying cannot help (it is logged and counted, not retried).
 */
export type Reconciler = (
  req: ReconcileRequest,
  ctx: ReconcileContext,
  // biome-ignore lint/suspicious/noConfusingVoidType: a reconciler that has nothing to requeue returns nothing
) => Promise<ReconcileResult | undefined | void> | ReconcileResult | undefined | void;

/** Where a controller's keys come from: an informer, a map from object to keys, and filters. */
export interface Source<T extends KubeObject = KubeObject> {
  /** Only its event handlers are used (so a source of one kind can stand in a list of sources of many). */
  readonly informer: Pick<Informer<T>, 'addEventHandler'>;
  readonly map: (obj: T) => readonly string[];
  readonly predicates?: readonly Predicate<T>[];
  readonly throttle?: SourceThrottle<T>;
}

/**
 * Spaces out the reconciles that a source's minor events cause: an event for which `applies` holds queues its
 * keys at once only if this source has not queued that key in the last `windowMs`; otherwise the key is queued
 * when the window ends. Delays, never drops: the reconcile at the window's end sees every change made within
 * it. Other events of the source are queued at once, as without a throttle.
 */
export interface SourceThrottle<T extends KubeObject = KubeObject> {
  readonly windowMs: number;
  readonly applies: (e: ChangeEvent<T>) => boolean;
}

interface ControllerOptions {
  readonly name: string;
  readonly reconcile: Reconciler;
  /** Keys reconciled at once (KubeRay's --reconcile-concurrency); default 1. */
  readonly concurrency?: number;
  readonly sources?: readonly Source<KubeObject>[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly metrics?: RuntimeMetrics;
  readonly rateLimiter?: RateLimiter<string>;
}

const requestOf = (key: string): ReconcileRequest => ({ ...splitKey(key), key });

/** A level-based controller: events become keys in a WorkQueue; workers reconcile each key. */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly #opts: ControllerOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #abort = new AbortController();
  #workers: Promise<void>[] = [];
  #unsubscribe: (() => void)[] = [];
  #started = false;

  constructor(options: ControllerOptions) {
    if (!options.name) throw new TypeError('controller name is required');
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(
        `controller ${options.name}: concurrency must be a positive integer, got ${concurrency}`,
      );
    this.#opts = { ...options, concurrency };
    this.name = options.name;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? nullLogger).child({ controller: options.name });
    this.queue = new WorkQueue({
      name: options.name,
      clock: this.#clock,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    });
  }

  get sources(): readonly Source<KubeObject>[] {
    return this.#opts.sources ?? [];
  }

  /** Queues a key by hand (e.g. from a timer or another component). */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Subscribes to the sources and starts the workers. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const n = this.#opts.concurrency ?? 1;
    this.#opts.metrics?.maxWorkers.set({ controller: this.name }, n);
    for (const source of this.sources) this.#unsubscribe.push(this.#subscribe(source));
    this.#workers = Array.from({ length: n }, () => this.#work());
    this.#log.info('controller started', { workers: n });
  }

  /** Stops taking work and resolves once in-flight reconciles have finished. */
  async stop(): Promise<void> {
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
    this.#abort.abort();
    await this.queue.shutDownWithDrain();
    await Promise.all(this.#workers);
    if (this.#started) this.#log.info('controller stopped');
  }

  #subscribe(source: Source<KubeObject>): () => void {
    const pass = (e: ChangeEvent) => (source.predicates ?? []).every((p) => p(e));
    const enqueue = (keys: Iterable<string>) => {
      for (const key of keys) this.queue.add(key);
    };
    const throttled = source.throttle ? this.#throttledEnqueue(source.throttle.windowMs) : enqueue;
    const handle = (e: ChangeEvent) => {
      if (!pass(e)) return;
      const keys =
        e.type === 'update' ? new Set([...source.map(e.old), ...source.map(e.obj)]) : source.map(e.obj);
      (source.throttle?.applies(e) ? throttled : enqueue)(keys);
    };
    return source.informer.addEventHandler({
      onAdd: (obj) => handle({ type: 'add', obj }),
      onUpdate: (old, obj) => handle({ type: 'update', old, obj }),
      onDelete: (obj) => handle({ type: 'delete', obj }),
    });
  }

  /**
   * SourceThrottle's queueing. `queuedAt` holds when each key was last queued by the throttle, or will be: a key
   * queued at most once a window, the first time at once and then at the end of the window it falls in.
   */
  #throttledEnqueue(windowMs: number): (keys: Iterable<string>) => void {
    const queuedAt = new Map<string, number>();
    return (keys) => {
      const now = this.#clock.now();
      for (const key of keys) {
        const at = queuedAt.get(key);
        if (at === undefined || now >= at + windowMs) {
          queuedAt.set(key, now);
          this.queue.add(key);
        } else {
          // Within the window: the key is queued at its end (or already is, for a time still ahead).
          const next = at > now ? at : at + windowMs;
          queuedAt.set(key, next);
          this.queue.addAfter(key, next - now);
        }
      }
      // Only entries whose window is still open matter: forget the rest once there are many.
      if (queuedAt.size > 1024)
        for (const [key, at] of queuedAt) if (now >= at + windowMs) queuedAt.delete(key);
    };
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.#reconcileKey(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  async #reconcileKey(key: string): Promise<void> {
    const req = requestOf(key);
    const reconcileId = randomUUID();
    const logger = this.#log.child({ namespace: req.namespace, name: req.name, reconcileId });
    const m = this.#opts.metrics;
    const labels = { controller: this.name };
    m?.activeWorkers.inc(labels);
    const started = this.#clock.now();
    let result: string;
    try {
      // Every request the reconcile sends is one flow of the client's rate limiter (src/k8s/flow.ts), so
      // the tokens are shared fairly between the keys being reconciled at once.
      const out = await withFlow(`${this.name}/${key}`, () =>
        this.#opts.reconcile(req, {
          logger,
          reconcileId,
          signal: this.#abort.signal,
          othersWaiting: () => this.queue.len() > 0,
        }),
      );
      if (out?.yielded) {
        // Back of the queue: the key is being processed, so add() marks it and done() queues it again.
        this.queue.forget(key);
        this.queue.add(key);
        result = 'requeue';
      } else if (out?.requeueAfter !== undefined && out.requeueAfter > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, out.requeueAfter);
        result = 'requeue_after';
      } else if (out?.requeue) {
        this.queue.addRateLimited(key);
        result = 'requeue';
      } else {
        this.queue.forget(key);
        result = 'success';
      }
    } catch (err) {
      m?.reconcileErrors.inc(labels);
      result = 'error';
      const kind = reconcileErrorKind(err);
      if (kind === 'terminal') {
        m?.terminalErrors.inc(labels);
        this.queue.forget(key);
        const reason = err instanceof TerminalError ? err.reason : undefined;
        logger.error('reconcile failed terminally', { error: errorMessage(err), reason });
      } else if (kind === 'namespaceTerminating' || kind === 'gone') {
        // Nothing to retry: the namespace (or the object) is going away; a later change enqueues it again.
        this.queue.forget(key);
        logger.debug('reconcile stopped, the object is being deleted', { error: errorMessage(err), kind });
      } else {
        this.queue.addRateLimited(key);
        const fields = { error: errorMessage(err), retries: this.queue.numRequeues(key) };
        // A conflict means the cache was stale: the retry reads the newer version, nothing is wrong.
        if (kind === 'conflict') logger.debug('reconcile conflict, retrying', fields);
        else logger.error('reconcile failed', fields);
      }
    } finally {
      m?.activeWorkers.dec(labels);
    }
    m?.reconcileTotal.inc({ controller: this.name, result });
    m?.reconcileTime.observe(labels, (this.#clock.now() - started) / 1000);
  }
}
