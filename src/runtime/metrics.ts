import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

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
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: c,
      registers,
    });
    this.terminalErrors = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: c,
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: c,
      buckets: [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
        1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
      ],
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: c,
      registers,
    });
    this.maxWorkers = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: c,
      registers,
    });
    this.depth = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: q,
      registers,
    });
    this.adds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: q,
      registers,
    });
    this.queueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: q,
      buckets: exp(10e-9, 10, 12),
      registers,
    });
    this.workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: q,
      buckets: exp(10e-9, 10, 12),
      registers,
    });
    this.retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: q,
      registers,
    });
    const inFlight = this.inFlight;
    this.longestRunning = new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames: q,
      registers,
      collect() {
        for (const [name, read] of inFlight) this.set({ controller: name, name }, read().longest);
      },
    });
    this.unfinishedWork = new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration.",
      labelNames: q,
      registers,
      collect() {
        for (const [name, read] of inFlight) this.set({ controller: name, name }, read().unfinished);
      },
    });
  }
}
