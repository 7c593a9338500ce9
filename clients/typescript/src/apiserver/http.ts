import { KuberayError } from '../../../../src/lib/errors.ts';

/** The `fetch` the API server clients use: the global one by default (Node 20+, Bun, Deno, browsers). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options of the API server clients. */
export interface ApiServerOptions {
  /** Base URL of the API server, e.g. `http://localhost:31888` (KubeRay's NodePort) or `http://127.0.0.1:8888`. */
  readonly url: string;
  /**
   * Sent in the `Authorization` header: as is by default (KubeRay's security proxy compares the raw value, and
   * KubeRay's clients send it so); as `Bearer <token>` with `bearer: true`, which our API server's Kubernetes
   * authentication needs (a Kubernetes token). Our server's security-proxy mode accepts both forms.
   */
  readonly token?: string;
  /** Send `token` as `Bearer <token>` (unless it already starts with `Bearer `). Default false. */
  readonly bearer?: boolean;
  /** Per-request timeout in ms; default 60000 (the server's own gRPC timeout is 60 s). */
  readonly timeoutMs?: number;
  /** Replaces the global fetch (tests, proxies, custom agents). */
  readonly fetch?: FetchLike;
}

/**
 * A non-2xx answer of the API server. `message` is the server's own (the `message` of its gRPC status body
 * `{code, message, details}`, or a Kubernetes Status's `message` on v2 routes); `status` is the HTTP status,
 * `code` the gRPC code when there is one.
 *
 * @example
 * ```ts
 * try { await api.getCluster('ml', 'nope'); } catch (e) {
 *   if (e instanceof ApiServerError && e.status === 404) console.log('no such cluster');
 * }
 * ```
 */
export class ApiServerError extends KuberayError {
  readonly status: number;
  readonly code: number | undefined;
  readonly body: unknown;
  readonly method: string;
  readonly url: string;
  constructor(method: string, url: string, status: number, body: unknown, options?: { cause?: unknown }) {
    super(`${method} ${url}: ${errorText(status, body)}`, options);
    this.status = status;
    this.body = body;
    this.method = method;
    this.url = url;
    const code = (body as { code?: unknown } | undefined)?.code;
    this.code = typeof code === 'number' ? code : undefined;
  }
}

function errorText(status: number, body: unknown): string {
  if (status === 0) return `cannot reach the API server: ${String((body as { message?: string })?.message)}`;
  const msg = (body as { message?: unknown } | undefined)?.message;
  if (typeof msg === 'string' && msg) return `HTTP ${status}: ${msg}`;
  if (typeof body === 'string' && body) return `HTTP ${status}: ${body.slice(0, 500)}`;
  return `HTTP ${status}`;
}

/** One HTTP request as the clients build it (pure data: what the unit tests check). */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, starting with `/`, with its query. */
  readonly path: string;
  readonly body?: unknown;
  /** Default application/json. */
  readonly contentType?: string;
}

/**
 * Joins path segments, encoding each.
 *
 * @example
 * ```ts
 * pathOf('apis', 'v1', 'namespaces', 'a b'); // '/apis/v1/namespaces/a%20b'
 * ```
 */
export function pathOf(...segments: readonly string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

/**
 * Appends a query (undefined and empty values dropped).
 *
 * @example
 * ```ts
 * withQuery('/apis/v1/clusters', { limit: 10, continue: undefined }); // '/apis/v1/clusters?limit=10'
 * ```
 */
export function withQuery(
  path: string,
  query: Readonly<Record<string, string | number | undefined>>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * Sends requests to one API server and decodes JSON answers; throws ApiServerError on failure.
 *
 * @example
 * ```ts
 * const http = new ApiServerHttp({ url: 'http://localhost:31888' });
 * const body = await http.send(v1Requests.listClusters('ml'));
 * ```
 */
export class ApiServerHttp {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: FetchLike;

  constructor(options: ApiServerOptions) {
    if (typeof options?.url !== 'string' || !/^https?:\/\/[^/]/.test(options.url))
      throw new TypeError(
        `url: must be an http(s) URL such as http://localhost:31888, got ${JSON.stringify(options?.url)}`,
      );
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.#token =
      options.token && options.bearer && !/^bearer\s/i.test(options.token)
        ? `Bearer ${options.token}`
        : options.token;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Sends `req`; resolves the decoded JSON body (undefined for an empty one). */
  async send<T>(req: ApiRequest, signal?: AbortSignal): Promise<T> {
    const url = `${this.baseUrl}${req.path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    if (this.#token) headers.authorization = this.#token;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let res: Response;
    try {
      res = await this.#fetch(url, {
        method: req.method,
        headers,
        ...(req.body !== undefined
          ? { body: typeof req.body === 'string' ? req.body : JSON.stringify(req.body) }
          : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (cause) {
      if (signal?.aborted) throw signal.reason;
      const message = timeout.aborted
        ? `no answer within ${this.#timeoutMs} ms`
        : String((cause as Error)?.message ?? cause);
      throw new ApiServerError(req.method, url, 0, { message }, { cause });
    }
    const text = await res.text();
    const body = parseBody(text);
    if (!res.ok) throw new ApiServerError(req.method, url, res.status, body);
    return body as T;
  }
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
