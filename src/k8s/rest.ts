import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { ApiError, type StatusBody } from './api-error.ts';
import type { ClusterAccess } from './kubeconfig.ts';

export interface RequestOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Content type of the body; default application/json. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Per-request timeout in ms; default 30000. 0 disables it (watches). */
  readonly timeoutMs?: number;
}

export interface RestClientOptions {
  readonly userAgent?: string;
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
  constructor(access: ClusterAccess, options: RestClientOptions = {}) {
    this.access = access;
    this.#https = access.server.startsWith('https:');
    this.#agent = this.#https
      ? new Agent({
          keepAlive: true,
          ...(access.ca ? { ca: access.ca } : {}),
          ...(access.cert ? { cert: access.cert } : {}),
          ...(access.key ? { key: access.key } : {}),
          rejectUnauthorized: !access.insecureSkipTLSVerify,
        })
      : new HttpAgent({ keepAlive: true });
    this.#userAgent = options.userAgent ?? 'kuberay-ts';
  }

  /** Sends one request and parses the JSON answer. Throws ApiError on any failure. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.#send(method, path, options);
    const text = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      if (!text) return undefined as T;
      const isJson = (res.headers['content-type'] ?? '').includes('json');
      return (isJson ? JSON.parse(text) : text) as T;
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

  close(): void {
    this.#agent.destroy();
  }

  #headers(options: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.#userAgent };
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const token =
      this.access.token ??
      (this.access.tokenFile ? readFileSync(this.access.tokenFile, 'utf8').trim() : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  #send(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const url = new URL(path, this.access.server);
    for (const [k, v] of Object.entries(options.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    const headers = this.#headers(options);
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const req = (this.#https ? httpsRequest : httpRequest)(url, {
        method,
        headers,
        agent: this.#agent,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`request timed out after ${timeoutMs}ms`)));
      }
      req.on('response', resolve);
      req.on('error', (cause) => reject(new ApiError(method, url.pathname, 0, undefined, { cause })));
      req.end(payload);
    });
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function parseStatus(text: string): StatusBody | undefined {
  try {
    return JSON.parse(text) as StatusBody;
  } catch {
    return text ? { message: text.slice(0, 500) } : undefined;
  }
}
