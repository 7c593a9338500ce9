import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { KuberayError } from '../lib/errors.ts';
import { nodeHttp } from '../lib/node-http.ts';

class AddressError extends KuberayError {}

/** Parses a Go-style bind address (':8080', '127.0.0.1:0', '[::1]:9090'); '0' or '' means disabled. */
function parseBindAddress(
  addr: string,
  flag = 'address',
): { host: string | undefined; port: number } | undefined {
  if (addr === '0' || addr === '') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535)
    throw new AddressError(`${flag}: invalid bind address '${addr}' (want host:port or :port)`);
  const host = m[1] ?? m[2];
  return { host: host ? host : undefined, port };
}

type Handler = () => Promise<{ status: number; type: string; body: string }>;

async function serve(
  addr: string,
  flag: string,
  routes: Record<string, Handler>,
): Promise<Server | undefined> {
  const bind = parseBindAddress(addr, flag);
  if (!bind) return undefined;
  const server = nodeHttp().createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[path];
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    route().then(
      (r) =>
        res.writeHead(r.status, { 'content-type': r.type }).end(req.method === 'HEAD' ? undefined : r.body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(new AddressError(`${flag}: cannot listen on '${addr}'`, { cause })),
    );
    server.listen(bind.port, bind.host, resolve);
  });
  return server;
}

/** `/metrics` on the metrics address. */
export function serveMetrics(addr: string, registry: Registry): Promise<Server | undefined> {
  return serve(addr, 'metrics-addr', {
    '/metrics': async () => ({ status: 200, type: registry.contentType, body: await registry.metrics() }),
  });
}

/** `/healthz` (a plain ping, as in KubeRay) and `/readyz` (200 when `ready()`, else 503) on the health-probe address. */
export function serveProbes(addr: string, ready: () => boolean = () => true): Promise<Server | undefined> {
  const ping = async () => ({ status: 200, type: 'text/plain', body: 'ok' });
  return serve(addr, 'health-probe-bind-address', {
    '/healthz': ping,
    '/readyz': async () =>
      ready() ? ping() : { status: 503, type: 'text/plain', body: 'informers not synced' },
  });
}

export const boundPort = (s: Server | undefined): number | undefined =>
  (s?.address() as AddressInfo | null)?.port;

export function closeServer(s: Server | undefined): Promise<void> {
  if (!s) return Promise.resolve();
  s.closeAllConnections();
  return new Promise((resolve) => s.close(() => resolve()));
}
