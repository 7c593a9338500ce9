/**
 * prom-client, loaded file by file. Its index also loads the Pushgateway client (node:zlib, url) and the cluster
 * aggregator, and its default metrics load the OpenTelemetry API (51 modules) for exemplars, which nothing here
 * uses: together about 90 modules and several MiB of an idle process (docs/performance.md). The classes are the
 * same objects the index exports (one module cache), so a Registry from 'prom-client' serves these metrics.
 */
import { createRequire } from 'node:module';
import type * as Prom from 'prom-client';

const load = createRequire(import.meta.url);
const lib = (file: string): unknown => load(`prom-client/lib/${file}.js`);

export const Registry = lib('registry') as typeof Prom.Registry;
export type Registry = Prom.Registry;
export const Counter = lib('counter') as typeof Prom.Counter;
export type Counter<T extends string = string> = Prom.Counter<T>;
export const Gauge = lib('gauge') as typeof Prom.Gauge;
export type Gauge<T extends string = string> = Prom.Gauge<T>;
export const Histogram = lib('histogram') as typeof Prom.Histogram;
export type Histogram<T extends string = string> = Prom.Histogram<T>;

type DefaultMetric = (registry: Registry, config: { eventLoopMonitoringPrecision: number }) => void;

/** prom-client's default metrics but the CPU counters (below), in its order. */
const DEFAULT_METRIC_FILES = [
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  'processResources',
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
];

/**
 * The process metrics `collectDefaultMetrics` registers (`process_*`, `nodejs_*`, same names and labels),
 * `process_cpu_*_seconds_total` counted here without exemplars so the OpenTelemetry API is never loaded.
 */
export function collectDefaultMetrics(options: {
  register: Registry;
  eventLoopMonitoringPrecision?: number;
}): void {
  const config = { eventLoopMonitoringPrecision: 10, ...options };
  registerCpuCounters(options.register);
  for (const file of DEFAULT_METRIC_FILES)
    (lib(`metrics/${file}`) as DefaultMetric)(options.register, config);
}

function registerCpuCounters(registry: Registry): void {
  let last = process.cpuUsage();
  const counter = (name: string, help: string, collect?: () => void) =>
    new Counter({ name, help, registers: [registry], ...(collect ? { collect } : {}) });
  // One collect (the first counter's, run before any of the three is read) advances all three.
  const user = counter('process_cpu_user_seconds_total', 'User CPU time of the process, in seconds.', () => {
    const now = process.cpuUsage();
    const userSeconds = (now.user - last.user) / 1e6;
    const systemSeconds = (now.system - last.system) / 1e6;
    last = now;
    user.inc(userSeconds);
    system.inc(systemSeconds);
    total.inc(userSeconds + systemSeconds);
  });
  const system = counter('process_cpu_system_seconds_total', 'System CPU time of the process, in seconds.');
  const total = counter('process_cpu_seconds_total', 'User and system CPU time of the process, in seconds.');
}
