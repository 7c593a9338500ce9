import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsOptions {
  /** Allowed origins; `*` allows any. Empty: CORS headers are never sent (browsers then refuse cross-origin calls). */
  readonly allowOrigins: readonly string[];
}

const allowedMethods = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const allowedHeaders = 'Authorization, Content-Type, Accept, X-Requested-With';

/** The origin to echo in Access-Control-Allow-Origin, or undefined when the request's origin is not allowed. */
export function allowedOrigin(options: CorsOptions, origin: string | undefined): string | undefined {
  if (!origin || options.allowOrigins.length === 0) return undefined;
  if (options.allowOrigins.includes('*')) return '*';
  return options.allowOrigins.includes(origin) ? origin : undefined;
}

/**
 * Sets the CORS headers for an allowed origin. Answers a preflight (OPTIONS with Access-Control-Request-Method)
 * itself with 204 and returns true; otherwise returns false and the request goes on.
 */
export function handleCors(options: CorsOptions, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = allowedOrigin(options, req.headers.origin);
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (origin !== '*') res.setHeader('Vary', 'Origin');
  }
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!preflight || !origin) return false;
  res.setHeader('Access-Control-Allow-Methods', allowedMethods);
  res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204).end();
  return true;
}
