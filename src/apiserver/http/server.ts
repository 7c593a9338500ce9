import { randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Registry } from 'prom-client';
import type { KubeClient } from '../../k8s/client.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Authenticator, Authorizer, Caller, ResourceAttributes } from '../auth/types.ts';
import { type CorsOptions, handleCors } from './cors.ts';
import type { ApiServerMetrics } from './metrics.ts';
import { Router } from './router.ts';
import { Code, codeNames, RpcError, statusBody } from './status.ts';

/** What a handler gets for one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly caller: Caller;
  /** The Kubernetes client to act with: impersonating the caller in the secure mode. */
  readonly kube: KubeClient;
  readonly log: Logger;
  /** Aborted at the request deadline or when the client goes away. */
  readonly signal: AbortSignal;
  /** The body parsed as JSON (400 InvalidArgument naming the problem when it is not JSON). */
  json(): Promise<unknown>;
  /** The raw body (at most the configured limit). */
  raw(): Promise<Buffer>;
}

/** A JSON answer; a handler that wrote the response itself (a proxy) returns undefined. */
export interface Reply {
  readonly status?: number;
  readonly body: unknown;
}

export interface RouteSpec {
  /** `proto.<Service>/<Method>` for V1 calls (metrics and logs), or a short name such as `v2/proxy`. */
  readonly name: string;
  /** The permissions to check with SubjectAccessReviews before the handler runs; none: the handler's own calls decide. */
  readonly access?: (params: Readonly<Record<string, string>>) => readonly ResourceAttributes[];
  /** Needs no authentication (health, metrics). */
  readonly public?: boolean;
  /**
   * Whether this request is a long-lived stream (a server-sent-events watch): it has no deadline and is ended
   * when the server shuts down.
   */
  readonly streaming?: (req: IncomingMessage, query: URLSearchParams) => boolean;
  handle(ctx: RequestContext): Promise<Reply | undefined>;
}

/** Where routes are registered: the server, or anything that records them (the swagger generator). */
export interface RouteTable {
  add(method: string, pattern: string, spec: RouteSpec): unknown;
}

interface ServerOptions {
  readonly logger: Logger;
  readonly metrics: ApiServerMetrics;
  readonly registry: Registry;
  readonly authenticator: Authenticator;
  readonly authorizer: Authorizer;
  /** The Kubernetes client used on behalf of a caller. */
  readonly clientFor: (caller: Caller) => KubeClient;
  readonly cors: CorsOptions;
  /** Largest accepted request body; bigger ones get 413. */
  readonly maxBodyBytes: number;
  /** Deadline of one call (KubeRay's -grpc_timeout); 0 disables it. */
  readonly requestTimeoutMs: number;
  /** TLS key and certificate (and client CA, to accept client certificates); absent: plain HTTP. */
  readonly tls?: HttpsOptions;
  /** Readiness beyond "listening" (e.g. the Kubernetes API answered once). */
  readonly ready?: () => boolean;
}

/**
 * The HTTP server: routing, the grpc-gateway error shape, body limits, deadlines, authentication and
 * authorization, CORS, health, metrics, access logs and graceful shutdown. Routes are added by the V1 and V2 modules.
 */
export class ApiHttpServer {
  readonly router = new Router<RouteSpec>();
  readonly #o: ServerOptions;
  readonly #server: Server;
  #draining = false;
  readonly #prefixes: { prefix: string; spec: RouteSpec }[] = [];
  readonly #streams = new Set<AbortController>();

  constructor(options: ServerOptions) {
    this.#o = options;
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      void this.#handle(req, res);
    };
    this.#server = options.tls
      ? createHttpsServer(
          { ...options.tls, requestCert: Boolean(options.tls.ca), rejectUnauthorized: false },
          listener,
        )
      : createHttpServer(listener);
    // Slow or stalled clients: the whole request must arrive within the deadline plus a margin.
    this.#server.headersTimeout = 30_000;
    this.#server.requestTimeout = options.requestTimeoutMs > 0 ? options.requestTimeoutMs + 10_000 : 0;
    this.#server.keepAliveTimeout = 5_000;
  }

  /** Authentication, authorization and the per-caller client, for the gRPC port to share. */
  get auth(): Pick<
    ServerOptions,
    'authenticator' | 'authorizer' | 'clientFor' | 'metrics' | 'logger' | 'requestTimeoutMs'
  > {
    const o = this.#o;
    return {
      authenticator: o.authenticator,
      authorizer: o.authorizer,
      clientFor: o.clientFor,
      metrics: o.metrics,
      logger: o.logger,
      requestTimeoutMs: o.requestTimeoutMs,
    };
  }

  add(method: string, pattern: string, spec: RouteSpec): this {
    this.router.add(method, pattern, spec);
    return this;
  }

  /** A route for every method and every path under `prefix` (the V2 proxy); fixed routes win. */
  addPrefix(prefix: string, spec: RouteSpec): this {
    this.#prefixes.push({ prefix, spec });
    this.#prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /** Streams (server-sent-events watches) open now. */
  get openStreams(): number {
    return this.#streams.size;
  }

  async listen(port: number, host?: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  /** Stops accepting connections, lets requests in flight finish (up to `graceMs`), then closes the rest. */
  async shutdown(graceMs: number): Promise<void> {
    this.#draining = true;
    for (const s of this.#streams) s.abort(new RpcError(Code.Unavailable, 'the server is shutting down'));
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    const timer = setTimeout(() => this.#server.closeAllConnections(), graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let routeName = 'unmatched';
    let user: string | undefined;
    let rpc: { service: string; method: string } | undefined;
    res.setHeader('X-Request-Id', requestId);
    // Once per request: when the response finished, or when the client went away first (a watch stream).
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const seconds = (performance.now() - started) / 1000;
      this.#o.metrics.httpHandled(routeName, method, res.statusCode, seconds);
      this.#o.logger.info('request', {
        requestId,
        method,
        path: url.pathname,
        route: routeName,
        status: res.statusCode,
        user,
        durationMs: Math.round(seconds * 1000),
        remote: req.socket.remoteAddress,
        ...(res.writableFinished ? {} : { clientGone: true }),
      });
    };
    res.on('finish', record);
    res.on('close', record);
    try {
      if (handleCors(this.#o.cors, req, res)) return;
      if (this.#builtin(url.pathname, res)) {
        routeName = url.pathname;
        return;
      }
      let m = this.router.match(method, url.pathname);
      if (m.kind === 'notFound') {
        const p = this.#prefixes.find((x) => url.pathname.startsWith(x.prefix));
        if (p)
          m = {
            kind: 'found',
            route: { method, pattern: `${p.prefix}*`, handler: p.spec },
            params: { path: url.pathname },
          };
      }
      if (m.kind === 'notFound') throw new RpcError(Code.NotFound, 'Not Found');
      if (m.kind === 'methodNotAllowed') throw new RpcError(Code.Unimplemented, 'Method Not Allowed');
      const spec = m.route.handler;
      routeName = `${method} ${m.route.pattern}`;
      if (spec.name.startsWith('proto.')) {
        const [service, name] = spec.name.split('/') as [string, string];
        rpc = { service, method: name };
        this.#o.metrics.rpcStarted(service, name);
      }
      const caller = spec.public
        ? ({ user: 'system:anonymous', groups: [], via: 'none' } satisfies Caller)
        : await this.#o.authenticator.authenticate(req);
      user = caller.user;
      if (!spec.public && spec.access) await this.#o.authorizer.authorize(caller, spec.access(m.params));
      const reply = await this.#run(spec, {
        req,
        res,
        params: m.params,
        query: url.searchParams,
        caller,
        log: this.#o.logger.child({ requestId, route: spec.name }),
      });
      if (reply !== undefined && !res.headersSent) writeJson(res, reply.status ?? 200, reply.body);
      if (rpc)
        this.#o.metrics.rpcHandled(rpc.service, rpc.method, 'OK', (performance.now() - started) / 1000);
    } catch (err) {
      const e = toRpcError(err);
      if (e.code === Code.Internal || e.code === Code.Unknown)
        this.#o.logger.error('request failed', { requestId, path: url.pathname, error: errorMessage(err) });
      if (rpc)
        this.#o.metrics.rpcHandled(
          rpc.service,
          rpc.method,
          codeNames[e.code] ?? 'Unknown',
          (performance.now() - started) / 1000,
        );
      if (!res.headersSent)
        writeJson(res, bodyTooLarge(err) ? 413 : e.httpStatus, statusBody(e.code, e.message));
      else res.destroy();
    }
  }

  async #run(
    spec: RouteSpec,
    base: Omit<RequestContext, 'kube' | 'signal' | 'json' | 'raw'>,
  ): Promise<Reply | undefined> {
    const controller = new AbortController();
    const onClose = () => {
      if (!base.res.writableFinished) controller.abort(new RpcError(Code.Canceled, 'context canceled'));
    };
    base.res.on('close', onClose);
    const streaming = spec.streaming?.(base.req, base.query) ?? false;
    if (streaming) this.#streams.add(controller);
    const timeoutMs = streaming ? 0 : this.#o.requestTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      if (timeoutMs <= 0) return;
      timer = setTimeout(() => {
        const e = new RpcError(Code.DeadlineExceeded, 'context deadline exceeded');
        controller.abort(e);
        reject(e);
      }, timeoutMs);
    });
    let rawBody: Promise<Buffer> | undefined;
    const raw = () => {
      rawBody ??= readBody(base.req, this.#o.maxBodyBytes);
      return rawBody;
    };
    const ctx: RequestContext = {
      ...base,
      kube: this.#o.clientFor(base.caller),
      signal: controller.signal,
      raw,
      json: async () => parseJson(await raw()),
    };
    try {
      return await Promise.race([spec.handle(ctx), deadline]);
    } finally {
      clearTimeout(timer);
      base.res.off('close', onClose);
      this.#streams.delete(controller);
    }
  }

  #builtin(path: string, res: ServerResponse): boolean {
    if (path === '/healthz') {
      writeText(res, this.#draining ? 503 : 200, this.#draining ? 'shutting down\n' : 'ok\n');
      return true;
    }
    if (path === '/readyz') {
      const ready = !this.#draining && (this.#o.ready?.() ?? true);
      writeText(res, ready ? 200 : 503, ready ? 'ok\n' : 'not ready\n');
      return true;
    }
    if (path === '/metrics') {
      void this.#o.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': this.#o.registry.contentType });
          res.end(text);
        },
        (err: unknown) => writeText(res, 500, `${errorMessage(err)}\n`),
      );
      return true;
    }
    return false;
  }

  /** The client certificate's subject of a TLS request, when one was presented and verified. */
  static peerCertificate(req: IncomingMessage): { cn: string; o: string[] } | undefined {
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
    const cert = socket.getPeerCertificate();
    if (!cert?.subject?.CN) return undefined;
    const o = cert.subject.O;
    return { cn: String(cert.subject.CN), o: Array.isArray(o) ? o.map(String) : o ? [String(o)] : [] };
  }
}

class BodyTooLargeError extends RpcError {}
const bodyTooLarge = (e: unknown) => e instanceof BodyTooLargeError;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new BodyTooLargeError(Code.ResourceExhausted, `request body is larger than the limit of ${limit} bytes`);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(buf: Buffer): unknown {
  const text = buf.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RpcError(Code.InvalidArgument, `request body is not valid JSON: ${errorMessage(err)}`);
  }
}

function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  return new RpcError(Code.Internal, errorMessage(err), { cause: err });
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function writeText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
