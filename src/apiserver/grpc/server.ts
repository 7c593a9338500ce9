import type { IncomingMessage, ServerResponse } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { errorMessage } from '../../lib/errors.ts';
import type { ApiHttpServer, RequestContext } from '../http/server.ts';
import { Code, codeNames, RpcError } from '../http/status.ts';
import { type Decoded, decodeMessage } from '../v1/proto-json.ts';
import { decodeBinary, encodeBinary } from './proto-binary.ts';
import { httpCall, RPCS, type Rpc } from './services.ts';

/**
 * The V1 API over gRPC (KubeRay's -rpcPortFlag): each RPC is decoded with our descriptors, mapped to its HTTP
 * rule and served by the same route handler as the JSON call, with the same authentication (the
 * `authorization` metadata), authorization, deadline and metrics; errors keep their gRPC code and message.
 */
export class ApiGrpcServer {
  readonly #server: grpc.Server;
  readonly #http: ApiHttpServer;

  constructor(http: ApiHttpServer, options: { maxReceiveBytes?: number } = {}) {
    this.#http = http;
    this.#server = new grpc.Server({
      'grpc.max_receive_message_length': options.maxReceiveBytes ?? 4 * 1024 * 1024,
    });
    const byService = new Map<string, Rpc[]>();
    for (const r of RPCS) byService.set(r.service, [...(byService.get(r.service) ?? []), r]);
    for (const [service, rpcs] of byService) {
      const definition: Record<string, grpc.MethodDefinition<Decoded, Decoded>> = {};
      const impl: grpc.UntypedServiceImplementation = {};
      for (const r of rpcs) {
        definition[r.method] = {
          path: `/proto.${service}/${r.method}`,
          requestStream: false,
          responseStream: false,
          originalName: r.method,
          requestSerialize: (v: Decoded) => Buffer.from(encodeBinary(r.request, v)),
          requestDeserialize: (b: Buffer) => decodeBinary(r.request, b),
          responseSerialize: (v: Decoded) => Buffer.from(encodeBinary(r.response, v)),
          responseDeserialize: (b: Buffer) => decodeBinary(r.response, b),
        };
        impl[r.method] = (
          call: grpc.ServerUnaryCall<Decoded, Decoded>,
          callback: grpc.sendUnaryData<Decoded>,
        ) => {
          this.#handle(r, call).then(
            (reply) => callback(null, reply),
            (err: unknown) => {
              const e = err instanceof RpcError ? err : new RpcError(Code.Internal, errorMessage(err));
              callback({ code: e.code as number, details: e.message, metadata: new grpc.Metadata() });
            },
          );
        };
      }
      this.#server.addService(definition as grpc.ServiceDefinition, impl);
    }
  }

  async #handle(r: Rpc, call: grpc.ServerUnaryCall<Decoded, Decoded>): Promise<Decoded> {
    const { authenticator, authorizer, clientFor, metrics, logger, requestTimeoutMs } = this.#http.auth;
    const started = performance.now();
    const service = `proto.${r.service}`;
    metrics.rpcStarted(service, r.method);
    let code = 'OK';
    try {
      const { params, query, body } = httpCall(r, call.request);
      const path = r.http.pattern.replace(/\{(\w+)\}/g, (_, k: string) =>
        encodeURIComponent(params[k] ?? ''),
      );
      const m = this.#http.router.match(r.http.method, path);
      if (m.kind !== 'found')
        throw new RpcError(Code.InvalidArgument, `no route for ${r.http.method} ${path}`);
      const spec = m.route.handler;
      const authorization = call.metadata.get('authorization')[0];
      // The HTTP handlers read only the URL and the authorization header of the request (see
      // src/architecture.test.ts, allowed casts).
      const pseudo = {
        url: path,
        headers: authorization === undefined ? {} : { authorization: String(authorization) },
        socket: {},
      } as unknown as IncomingMessage;
      const caller = await authenticator.authenticate(pseudo);
      if (spec.access) await authorizer.authorize(caller, spec.access(m.params));
      const controller = new AbortController();
      call.on('cancelled', () => controller.abort(new RpcError(Code.Canceled, 'context canceled')));
      const ctx: RequestContext = {
        req: pseudo,
        res: undefined as unknown as ServerResponse,
        params: m.params,
        query,
        caller,
        kube: clientFor(caller),
        log: logger.child({ route: spec.name, transport: 'grpc' }),
        signal: controller.signal,
        json: async () => body ?? {},
        raw: async () => Buffer.from(JSON.stringify(body ?? {})),
      };
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        if (requestTimeoutMs > 0)
          timer = setTimeout(
            () => reject(new RpcError(Code.DeadlineExceeded, 'context deadline exceeded')),
            requestTimeoutMs,
          );
      });
      try {
        const reply = await Promise.race([spec.handle(ctx), deadline]);
        return reply ? decodeMessage(r.response, reply.body, r.response.name) : {};
      } finally {
        clearTimeout(timer);
      }
    } catch (err) {
      code = err instanceof RpcError ? (codeNames[err.code] ?? 'Unknown') : 'Internal';
      throw err;
    } finally {
      metrics.rpcHandled(service, r.method, code, (performance.now() - started) / 1000);
      logger.info('rpc', {
        method: `/${service}/${r.method}`,
        code,
        durationMs: Math.round(performance.now() - started),
      });
    }
  }

  /** Listens on `host:port` (plain HTTP/2, or TLS with `credentials`); returns the port. */
  listen(
    address: string,
    credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure(),
  ): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port)));
    });
  }

  /** Stops taking calls and waits up to `graceMs` for calls in flight, then cancels them. */
  async shutdown(graceMs: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
