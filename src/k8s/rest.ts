import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import type { Agent } from 'node:https';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeHttp, nodeHttps, requestFor } from '../lib/node-http.ts';
import { readBody } from '../lib/read-body.ts';
import { ApiError, type StatusBody } from './api-error.ts';
import { ExecTokenSource } from './exec-credential.ts';
import type { ClusterAccess } from './kubeconfig.ts';
import { withoutManagedFields } from './managed-fields.ts';
import { MAX_RETRY_AFTER, retryAfterMs } from './retry-after.ts';
import { FileTokenSource } from './token-file.ts';

interface RequestOptions {
  /** Sent as it is when a string or bytes (already encoded), else as JSON. */
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Content type of the body; default application/json. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Per-request timeout in ms; default 30000. 0 disables it (watches). */
  readonly timeoutMs?: number;
  /**
   * Extra request headers (e.g. Ray's `x-ray-authorization` through the service proxy). They cannot replace
   * the client's own authorization, accept or content-type headers.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** The Accept header; default application/json. */
  readonly accept?: string;
  /** Leave the answer's own `metadata.managedFields` out, cut from the text before it is parsed. */
  readonly dropManagedFields?: boolean;
}

/** What one finished request reports to `RestClientOptions.observe` (for metrics). */
export interface RequestObservation {
  readonly method: string;
  readonly host: string;
  /** HTTP status, or '<error>' for a transport failure. */
  readonly code: string;
  readonly durationMs: number;
  /** Time spent waiting for the client-side rate limiter. */
  readonly rateLimitWaitMs: number;
}

interface RestClientOptions {
  readonly userAgent?: string;
  /** Client-side rate limiter awaited before every request (e.g. a TokenBucket); default none. */
  readonly rateLimiter?: { wait(): Promise<number> };
  /** Called after every request with its outcome. */
  readonly observe?: (o: RequestObservation) => void;
  /** Provider of bearer tokens; default one is built from `access.tokenFile` (re-read a minute) or `access.exec`. */
  readonly tokenSource?: { token(): Promise<string>; invalidate(): void };
  /** The timeout of a request that sets none (`RequestOptions.timeoutMs`); default 30000, 0 for none. */
  readonly requestTimeoutMs?: number;
  /** Headers sent with every request (e.g. Impersonate-User); see `withHeaders`. */
  readonly defaultHeaders?: Readonly<Record<string, string | readonly string[]>>;
  /** Connection pool to share with another client of the same server (set by `withHeaders`). */
  readonly agent?: Agent | HttpAgent;
}

/**
 * The thin HTTP layer over one API server: JSON in, JSON out, `ApiError` on failure.
 * Higher layers (typed resources, rate limiting, metrics) are built on `request` and `stream`.
 */
export class RestClient {
  readonly access: ClusterAccess;
  readonly #agent: Agent | HttpAgent;
  readonly #userAgent: string;
  readonly #https: boolean;
  readonly #options: RestClientOptions;
  readonly #tokenSource: RestClientOptions['tokenSource'];
  constructor(access: ClusterAccess, options: RestClientOptions = {}) {
    this.access = access;
    this.#https = access.server.startsWith('https:');
    this.#agent =
      options.agent ??
      (this.#https
        ? new (nodeHttps().Agent)({
            keepAlive: true,
            ...(access.ca ? { ca: access.ca } : {}),
            ...(access.cert ? { cert: access.cert } : {}),
            ...(access.key ? { key: access.key } : {}),
            rejectUnauthorized: !access.insecureSkipTLSVerify,
          })
        : new (nodeHttp().Agent)({ keepAlive: true }));
    this.#userAgent = options.userAgent ?? 'kuberay-ts';
    this.#options = options;
    this.#tokenSource =
      options.tokenSource ??
      (access.tokenFile
        ? new FileTokenSource(access.tokenFile)
        : access.exec
          ? new ExecTokenSource(access.exec)
          : undefined);
  }

  /** Sends one request and parses the JSON answer. Throws ApiError on any failure. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    let res = await this.#send(method, path, options);
    let text = await readBody(res);
    let status = res.statusCode ?? 0;
    // A 429 or 5xx with Retry-After was not acted on: send it again after the wait, as client-go does.
    for (let retry = 1; retry <= MAX_RETRY_AFTER && !options.signal?.aborted; retry++) {
      const waitMs = retryAfterMs(status, res.headers['retry-after']);
      if (waitMs === undefined) break;
      await sleep(waitMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
      if (options.signal?.aborted) break;
      res = await this.#send(method, path, options);
      text = await readBody(res);
      status = res.statusCode ?? 0;
    }
    if (status === 401) this.#tokenSource?.invalidate();
    if (status >= 200 && status < 300) {
      if (!text) return undefined as T;
      const isJson = (res.headers['content-type'] ?? '').includes('json');
      if (!isJson) return text as T;
      return JSON.parse(options.dropManagedFields ? withoutManagedFields(text, 'top') : text) as T;
    }
    throw new ApiError(method, path, status, parseStatus(text));
  }

  /** Opens a streaming GET (a watch) and returns the raw response once headers arrive. */
  async stream(path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.#send('GET', path, { timeoutMs: 0, ...options });
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    throw new ApiError('GET', path, status, parseStatus(await readBody(res)));
  }

  /**
   * Opens an HTTP/1.1 upgrade (a WebSocket) to `path` (query string included) with this client's TLS settings
   * and credentials plus `headers`. Resolves with the upgraded socket once the server answers 101; any other
   * answer is an ApiError carrying the server's Status message.
   */
  async upgrade(
    path: string,
    headers: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<{ socket: Duplex; head: Buffer; response: IncomingMessage }> {
    const url = new URL(path, this.access.server);
    let base: Record<string, string | string[]>;
    try {
      base = await this.#headers({});
    } catch (cause) {
      throw new ApiError('GET', url.pathname, 0, { message: `credentials: ${String(cause)}` }, { cause });
    }
    const a = this.access;
    return new Promise((resolve, reject) => {
      const req = requestFor(url)(url, {
        method: 'GET',
        headers: { ...base, ...headers },
        ...(this.#https
          ? {
              ...(a.ca ? { ca: a.ca } : {}),
              ...(a.cert ? { cert: a.cert } : {}),
              ...(a.key ? { key: a.key } : {}),
              rejectUnauthorized: !a.insecureSkipTLSVerify,
            }
          : {}),
        ...(signal ? { signal } : {}),
      });
      req.setTimeout(30_000, () => req.destroy(new Error('no answer to the upgrade within 30000ms')));
      req.on('upgrade', (response, socket, head) => {
        req.setTimeout(0);
        resolve({ socket, head, response });
      });
      req.on('response', (res) => {
        readBody(res).then(
          (text) => reject(new ApiError('GET', url.pathname, res.statusCode ?? 0, parseStatus(text))),
          reject,
        );
      });
      req.on('error', (cause) =>
        reject(new ApiError('GET', url.pathname, 0, { message: cause.message }, { cause })),
      );
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  /**
   * A client of the same server, credentials and connection pool that adds `headers` to every request: the API
   * server acts for its callers this way (`Impersonate-User`, `Impersonate-Group`). Closing it closes the pool.
   */
  withHeaders(headers: Readonly<Record<string, string | readonly string[]>>): RestClient {
    const options: RestClientOptions = {
      ...this.#options,
      agent: this.#agent,
      defaultHeaders: { ...this.#options.defaultHeaders, ...headers },
      ...(this.#tokenSource ? { tokenSource: this.#tokenSource } : {}),
    };
    return new RestClient(this.access, options);
  }

  async #headers(options: RequestOptions): Promise<Record<string, string | string[]>> {
    const reserved = new Set(['authorization', 'accept', 'content-type', 'content-length', 'user-agent']);
    const extra = Object.entries(options.headers ?? {}).filter(([k]) => !reserved.has(k.toLowerCase()));
    const defaults = Object.entries(this.#options.defaultHeaders ?? {})
      .filter(([k]) => !reserved.has(k.toLowerCase()))
      .map(([k, v]) => [k, typeof v === 'string' ? v : [...v]] as const);
    const headers: Record<string, string | string[]> = {
      ...Object.fromEntries(defaults),
      ...Object.fromEntries(extra),
      accept: options.accept ?? 'application/json',
      'user-agent': this.#userAgent,
    };
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const token = this.access.token ?? (this.#tokenSource ? await this.#tokenSource.token() : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  #writeGuard: ((method: string, path: string) => string | undefined) | undefined;

  /**
   * Refuses writes (POST, PUT, PATCH, DELETE) for which `guard` returns a reason, before they are sent; the
   * request then fails with status 0 and that reason. Leader election fences its followers this way.
   */
  setWriteGuard(guard: ((method: string, path: string) => string | undefined) | undefined): void {
    this.#writeGuard = guard;
  }

  /** Whether the write guard is asked for this request (a guard is set and it is not a GET). */
  #guarded(method: string): boolean {
    return this.#writeGuard !== undefined && method !== 'GET';
  }

  /** Why the write guard refuses this request now, if it does (never for GET). */
  #refusal(method: string, path: string): string | undefined {
    return this.#guarded(method) ? this.#writeGuard?.(method, path) : undefined;
  }

  #guardWrite(method: string, path: string): void {
    const refused = this.#refusal(method, path);
    if (refused) throw new ApiError(method, path, 0, { message: refused });
  }

  async #send(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    this.#guardWrite(method, path);
    const waited = this.#options.rateLimiter ? await this.#options.rateLimiter.wait() : 0;
    const url = new URL(path, this.access.server);
    for (const [k, v] of Object.entries(options.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string' || options.body instanceof Uint8Array
          ? options.body
          : JSON.stringify(options.body);
    let headers: Record<string, string | string[]>;
    try {
      headers = await this.#headers(options);
    } catch (cause) {
      throw new ApiError(method, url.pathname, 0, { message: `credentials: ${String(cause)}` }, { cause });
    }
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    // Asked again just before sending: the waits above (a rate-limit token, credentials) can be long, and a
    // process paused in one of them (SIGSTOP, a stalled VM) may have lost its Lease by the time it resumes.
    // Found by the leader-failover chaos test: a resumed old leader sent a pod create queued before its pause.
    this.#guardWrite(method, path);
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs ?? 30_000;
    const started = performance.now();
    const observe = (code: string) =>
      this.#options.observe?.({
        method,
        host: url.host,
        code,
        durationMs: performance.now() - started,
        rateLimitWaitMs: waited,
      });
    return new Promise((resolve, reject) => {
      const req = requestFor(url)(url, {
        method,
        headers,
        agent: this.#agent,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`request timed out after ${timeoutMs}ms`)));
      }
      let fenced = false;
      req.on('response', (res) => {
        observe(String(res.statusCode ?? 0));
        resolve(res);
      });
      req.on('error', (cause) => {
        if (fenced) return;
        observe('<error>');
        reject(new ApiError(method, url.pathname, 0, { message: cause.message }, { cause }));
      });
      if (this.#guarded(method)) {
        // A guarded write leaves only once its connection can take it. Node buffers what `end` writes until a
        // new socket has connected (and, for TLS, finished its handshake), and a process paused in between
        // (SIGSTOP, a stalled VM) would send it on resume, after another replica took the Lease. Found by the
        // leader-failover chaos test: a resumed old leader's pod create reached the API server after the new
        // leader's writes. So the guard is asked once more when the socket is ready, and the bytes follow at
        // once, in the same turn of the event loop.
        req.once('socket', (socket) => {
          const go = () => {
            const refused = this.#refusal(method, path);
            if (refused === undefined) {
              req.end(payload);
              return;
            }
            fenced = true;
            reject(new ApiError(method, path, 0, { message: refused }));
            req.destroy();
          };
          // A kept-alive socket is ready now; a new one once connected (TLS: once its handshake is done).
          if (req.reusedSocket) go();
          else if (this.#https) socket.once('secureConnect', go);
          else if (socket.connecting) socket.once('connect', go);
          else go();
        });
      } else req.end(payload);
    });
  }
}

function parseStatus(text: string): StatusBody | undefined {
  try {
    return JSON.parse(text) as StatusBody;
  } catch {
    return text ? { message: text.slice(0, 500) } : undefined;
  }
}
