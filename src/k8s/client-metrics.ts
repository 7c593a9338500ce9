import { Counter, Histogram, type Registry } from './prom.ts';
import type { RequestObservation } from './rest.ts';

const perRegistry = new WeakMap<Registry, (o: RequestObservation) => void>();

/**
 * The client-go REST metrics (same names as controller-runtime registers), recorded into `registry`.
 * Returns an `observe` callback for RestClientOptions; one set of metrics per registry.
 */
export function restClientMetrics(registry: Registry): (o: RequestObservation) => void {
  const existing = perRegistry.get(registry);
  if (existing) return existing;
  const requests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
    labelNames: ['code', 'method', 'host'],
    registers: [registry],
  });
  const byVerbAndHost = (name: string, help: string) =>
    new Histogram({
      name,
      help,
      labelNames: ['verb', 'host'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers: [registry],
    });
  const latency = byVerbAndHost(
    'rest_client_request_duration_seconds',
    'Request latency in seconds. Broken down by verb, and host.',
  );
  const limiter = byVerbAndHost(
    'rest_client_rate_limiter_duration_seconds',
    'Client side rate limiter latency in seconds. Broken down by verb, and host.',
  );
  const observe = (o: RequestObservation) => {
    requests.inc({ code: o.code, method: o.method, host: o.host });
    latency.observe({ verb: o.method, host: o.host }, o.durationMs / 1000);
    limiter.observe({ verb: o.method, host: o.host }, o.rateLimitWaitMs / 1000);
  };
  perRegistry.set(registry, observe);
  return observe;
}
