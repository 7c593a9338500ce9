import { Counter, Histogram, type Registry } from '../../k8s/prom.ts';

/**
 * The API server's metrics. V1 calls are counted under the grpc-prometheus names KubeRay's server exports
 * (`grpc_server_started_total`, `grpc_server_handled_total`, `grpc_server_handling_seconds`, labelled by
 * service, method and code name), whether they came over HTTP or gRPC; every HTTP request is also counted by
 * route pattern and status in `apiserver_http_requests_total` / `apiserver_http_request_duration_seconds`.
 */
export class ApiServerMetrics {
  readonly #started: Counter<'grpc_type' | 'grpc_service' | 'grpc_method'>;
  readonly #handled: Counter<'grpc_type' | 'grpc_service' | 'grpc_method' | 'grpc_code'>;
  readonly #handling: Histogram<'grpc_type' | 'grpc_service' | 'grpc_method'>;
  readonly #http: Counter<'route' | 'method' | 'code'>;
  readonly #httpDuration: Histogram<'route' | 'method'>;

  constructor(registry: Registry) {
    const registers = [registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter({ name, help, labelNames, registers });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) =>
      new Histogram({ name, help, labelNames, buckets, registers });
    const rpc = ['grpc_type', 'grpc_service', 'grpc_method'] as const;
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.#started = counter('grpc_server_started_total', 'Total number of RPCs started on the server.', [
      ...rpc,
    ]);
    this.#handled = counter(
      'grpc_server_handled_total',
      'Total number of RPCs completed on the server, regardless of success or failure.',
      [...rpc, 'grpc_code'],
    );
    this.#handling = histogram(
      'grpc_server_handling_seconds',
      'Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.',
      [...rpc],
      buckets,
    );
    this.#http = counter(
      'apiserver_http_requests_total',
      'HTTP requests served, by route pattern, method and status code.',
      ['route', 'method', 'code'],
    );
    this.#httpDuration = histogram(
      'apiserver_http_request_duration_seconds',
      'HTTP request latency in seconds, by route pattern and method.',
      ['route', 'method'],
      [...buckets, 30],
    );
  }

  /** Records one RPC (`service` like `proto.ClusterService`). */
  rpcStarted(service: string, method: string): void {
    this.#started.inc({ grpc_type: 'unary', grpc_service: service, grpc_method: method });
  }
  rpcHandled(service: string, method: string, codeName: string, seconds: number): void {
    const labels = { grpc_type: 'unary', grpc_service: service, grpc_method: method };
    this.#handled.inc({ ...labels, grpc_code: codeName });
    this.#handling.observe(labels, seconds);
  }
  httpHandled(route: string, method: string, status: number, seconds: number): void {
    this.#http.inc({ route, method, code: String(status) });
    this.#httpDuration.observe({ route, method }, seconds);
  }
}
