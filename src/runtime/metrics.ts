import { Counter, Gauge, Histogram, type Registry } from '../k8s/prom.ts';

const perRegistry = new WeakMap<Registry, RuntimeMetrics>();
const exp = (start: number, factor: number, count: number) =>
  Array.from({ length: count }, (_, i) => start * factor ** i);

/** The controller-runtime metric families (same names and labels), shared by all controllers of a registry. */
export class RuntimeMetrics {
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly terminalErrors: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly maxWorkers: Gauge<'controller'>;
  readonly depth: Gauge<'controller' | 'name'>;
  readonly adds: Counter<'controller' | 'name'>;
  readonly queueDuration: Histogram<'controller' | 'name'>;
  readonly workDuration: Histogram<'controller' | 'name'>;
  readonly retries: Counter<'controller' | 'name'>;
  readonly longestRunning: Gauge<'controller' | 'name'>;
  readonly unfinishedWork: Gauge<'controller' | 'name'>;
  /** Queues report their in-flight work here; the two gauges above read it at scrape time. */
  readonly inFlight = new Map<string, () => { longest: number; unfinished: number }>();

  /** The metrics of `registry`, created on first use. */
  static for(registry: Registry): RuntimeMetrics {
    let m = perRegistry.get(registry);
    if (!m) {
      m = new RuntimeMetrics(registry);
      perRegistry.set(registry, m);
    }
    return m;
  }

  private constructor(registry: Registry) {
    const registers = [registry];
    const c = ['controller'] as const;
    const q = ['controller', 'name'] as const;
    const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Counter<L>({ name, help, labelNames, registers });
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
      new Gauge<L>({ name, help, labelNames, registers });
    const histogram = <L extends string>(
      name: string,
      help: string,
      labelNames: readonly L[],
      buckets: number[],
    ) => new Histogram<L>({ name, help, labelNames, buckets, registers });
    const inFlight = this.inFlight;
    /** A queue gauge read at scrape time from each queue's in-flight work. */
    const inFlightGauge = (
      name: string,
      help: string,
      read: (w: { longest: number; unfinished: number }) => number,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: q,
        registers,
        collect() {
          for (const [queue, get] of inFlight) this.set({ controller: queue, name: queue }, read(get()));
        },
      });

    this.reconcileTotal = counter(
      'controller_runtime_reconcile_total',
      'Total number of reconciliations per controller',
      ['controller', 'result'],
    );
    this.reconcileErrors = counter(
      'controller_runtime_reconcile_errors_total',
      'Total number of reconciliation errors per controller',
      c,
    );
    this.terminalErrors = counter(
      'controller_runtime_terminal_reconcile_errors_total',
      'Total number of terminal reconciliation errors per controller',
      c,
    );
    this.reconcileTime = histogram(
      'controller_runtime_reconcile_time_seconds',
      'Length of time per reconciliation per controller',
      c,
      [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
        1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
      ],
    );
    this.activeWorkers = gauge(
      'controller_runtime_active_workers',
      'Number of currently used workers per controller',
      c,
    );
    this.maxWorkers = gauge(
      'controller_runtime_max_concurrent_reconciles',
      'Maximum number of concurrent reconciles per controller',
      c,
    );
    this.depth = gauge('workqueue_depth', 'Current depth of workqueue', q);
    this.adds = counter('workqueue_adds_total', 'Total number of adds handled by workqueue', q);
    this.queueDuration = histogram(
      'workqueue_queue_duration_seconds',
      'How long in seconds an item stays in workqueue before being requested',
      q,
      exp(10e-9, 10, 12),
    );
    this.workDuration = histogram(
      'workqueue_work_duration_seconds',
      'How long in seconds processing an item from workqueue takes.',
      q,
      exp(10e-9, 10, 12),
    );
    this.retries = counter('workqueue_retries_total', 'Total number of retries handled by workqueue', q);
    this.longestRunning = inFlightGauge(
      'workqueue_longest_running_processor_seconds',
      'How many seconds has the longest running processor for workqueue been running.',
      (w) => w.longest,
    );
    this.unfinishedWork = inFlightGauge(
      'workqueue_unfinished_work_seconds',
      "How many seconds of work has been done that is in progress and hasn't been observed by work_duration.",
      (w) => w.unfinished,
    );
  }
}
