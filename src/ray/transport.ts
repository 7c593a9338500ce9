import { ApiError } from '../k8s/api-error.ts';
import type { RestClient } from '../k8s/rest.ts';
import { KuberayError } from '../lib/errors.ts';
import { requestFor } from '../lib/node-http.ts';

/** Timeouts of KubeRay's dashboard client: direct calls and calls through the API-server proxy. */
export const directTimeoutMs = 2_000;
export const proxyTimeoutMs = 10_000;

export interface RawResponse {
  readonly status: number;
  readonly body: string;
}

export interface RawRequest {
  readonly method: string;
  /** Path below the base, starting with `/`, query included. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends one HTTP request and returns the status and body text, whatever the status. Throws only on I/O errors. */
export interface Transport {
  readonly description: string;
  send(req: RawRequest): Promise<RawResponse>;
}

/** Extra headers on every request, and for https: the trusted CAs or no verification at all. */
export interface DirectOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** Trusted CA certificates (PEM); the system's when omitted. */
  readonly ca?: readonly Buffer[];
  /** false: accept any certificate (`--verify=false`). */
  readonly rejectUnauthorized?: boolean;
}

/** The node:https options of `o` for an https URL (none for http). */
export function tlsOptions(url: URL, o: DirectOptions): { ca?: Buffer[]; rejectUnauthorized?: boolean } {
  if (url.protocol !== 'https:') return {};
  return {
    ...(o.ca && o.ca.length > 0 ? { ca: [...o.ca] } : {}),
    ...(o.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
  };
}

/** A transport failure (connection refused, timeout, DNS): no HTTP status came back. */
export class DashboardUnreachableError extends KuberayError {}

/**
 * Direct HTTP to `baseUrl` (`http://host:port`; a missing scheme gets `http://`), on node:http rather than
 * fetch: Ray's dashboard (2.52) refuses POST and PUT from what looks like a browser ("Method Not Allowed for
 * browser traffic.", HTTP 405) — any `Sec-Fetch-*`, `Origin` or `Referer` header counts, and Node's fetch
 * always sends `Sec-Fetch-Mode: cors`. node:http sends only the headers given.
 */
export function directTransport(
  baseUrl: string,
  timeoutMs = directTimeoutMs,
  o: DirectOptions = {},
): Transport {
  const base = withScheme(baseUrl).replace(/\/+$/, '');
  return {
    description: base,
    send(req) {
      const url = new URL(`${base}${req.path}`);
      const headers: Record<string, string> = { accept: 'application/json', ...o.headers, ...req.headers };
      let payload: Buffer | undefined;
      if (req.body !== undefined) {
        payload = Buffer.from(JSON.stringify(req.body), 'utf8');
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(payload.length);
      }
      const send = requestFor(url);
      return new Promise((resolve, reject) => {
        const fail = (cause: unknown) =>
          reject(new DashboardUnreachableError(`${req.method} ${url.href}: ${describe(cause)}`, { cause }));
        const r = send(
          url,
          { method: req.method, headers, signal: AbortSignal.timeout(timeoutMs), ...tlsOptions(url, o) },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', fail);
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
            );
          },
        );
        r.on('error', (e) =>
          fail(e.name === 'AbortError' ? new Error(`no answer within ${timeoutMs} ms`) : e),
        );
        r.end(payload);
      });
    },
  };
}

/**
 * Through the Kubernetes API server's service (or pod) proxy, e.g.
 * `/api/v1/namespaces/{ns}/services/{svc}:dashboard/proxy`, using the operator's authenticated RestClient.
 * The request's own headers (Ray's `x-ray-authorization` for token-auth clusters) go through the proxy; the
 * API server authenticates the operator by its client credentials. Caveat: the RestClient keeps at most 500
 * characters of a non-JSON error body.
 */
export function proxyTransport(
  rest: RestClient,
  proxyBasePath: string,
  timeoutMs = proxyTimeoutMs,
): Transport {
  const base = proxyBasePath.replace(/\/+$/, '');
  return {
    description: `${rest.access.server}${base}`,
    async send(req) {
      const [path, query] = splitQuery(`${base}${req.path}`);
      try {
        const out = await rest.request<unknown>(req.method, path, {
          ...(req.body !== undefined ? { body: req.body } : {}),
          ...(query ? { query } : {}),
          ...(req.headers ? { headers: req.headers } : {}),
          timeoutMs,
        });
        return {
          status: 200,
          body: out === undefined ? '' : typeof out === 'string' ? out : JSON.stringify(out),
        };
      } catch (e) {
        if (e instanceof ApiError && e.status !== 0) {
          const b = e.body;
          return { status: e.status, body: b?.kind === 'Status' ? JSON.stringify(b) : (b?.message ?? '') };
        }
        throw new DashboardUnreachableError(`${req.method} ${path}: ${describe(e)}`, { cause: e });
      }
    },
  };
}

export function serviceProxyPath(namespace: string, service: string, port = 'dashboard'): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${port}/proxy`;
}

export function podProxyPath(namespace: string, pod: string, port: number | string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}:${port}/proxy`;
}

export function withScheme(url: string): string {
  return /^https?:\/\//.test(url) ? url : `http://${url}`;
}

function splitQuery(full: string): [string, Record<string, string> | undefined] {
  const i = full.indexOf('?');
  if (i < 0) return [full, undefined];
  return [full.slice(0, i), Object.fromEntries(new URLSearchParams(full.slice(i + 1)))];
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const inner = cause instanceof Error ? `: ${cause.message}` : '';
    return `${e.message}${inner}`;
  }
  return String(e);
}
