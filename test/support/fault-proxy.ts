/**
 * A fault-injecting proxy in front of a real kube-apiserver, for the chaos tests. The operator talks plain HTTP
 * to the proxy (a kubeconfig with no credentials, see `kubeconfig()`); the proxy forwards each request over
 * HTTPS with the test's admin credentials and can, on command:
 * - answer a share of the requests with 500 or 429 (`Retry-After: 1`) instead of forwarding them;
 * - cut every watch in flight (what clients see when the API server restarts);
 * - answer the next watches with a 410 Gone ERROR event (what clients see after an etcd compaction);
 * - stall every watch in flight: the connection stays open and nothing more is sent (a silent stop).
 * - cut the client off entirely (`partition`): every connection is reset, the watches in flight are cut.
 * - hold back the answers to some requests for a while (`delayResponses`): the request reaches the API server at
 *   once, the client sees the answer later (so a process paused meanwhile resumes between two of its writes).
 * It counts the requests it sees, so a test can tell a backoff from a hot loop. `headers` are added to every
 * forwarded request (e.g. `Impersonate-User`, to tell two operators apart in the audit log).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ClusterAccess } from '../../src/k8s/kubeconfig.ts';

export interface FaultProxy {
  readonly url: string;
  /** Writes a kubeconfig that reaches the API server through the proxy (no credentials) and returns its path. */
  kubeconfig(dir: string): string;
  /** Answer this share (0..1) of the non-watch requests that `matches` with an error (500 or 429, alternating). */
  failRequests(share: number, matches?: (method: string, path: string) => boolean): void;
  /** Answers the next `n` non-watch requests that `matches` with 429 `Retry-After: 1` (counted as `failed`). */
  throttleNext(n: number, matches?: (method: string, path: string) => boolean): void;
  /**
   * Forwards the requests that `matches` at once but holds their answers back for `ms` (0 turns it off); they
   * are counted as `delayed`.
   */
  delayResponses(ms: number, matches?: (method: string, path: string) => boolean): void;
  /** Cuts every watch in flight; returns how many. */
  cutWatches(): number;
  /** Answers the next `n` watch requests with a 410 Gone ERROR event. */
  expireNextWatches(n: number): void;
  /** Stops forwarding data on every watch in flight (connections stay open); returns how many. */
  stallWatches(): number;
  /** Watches in flight now (stalled ones included). */
  openWatches(): number;
  /** The paths of the watches in flight that have passed on some data since they opened and are not stalled. */
  deliveredWatches(): string[];
  /** While on, every request's connection is reset and no watch stays open (a network partition). */
  partition(on: boolean): void;
  /** Requests seen since the last `resetCounts`: all, those answered with an injected error, watches. */
  counts(): { total: number; failed: number; watches: number; delayed: number };
  resetCounts(): void;
  close(): Promise<void>;
}

const isWatch = (url: URL) =>
  url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';

export async function startFaultProxy(
  access: ClusterAccess,
  options: { headers?: Record<string, string | string[]> } = {},
): Promise<FaultProxy> {
  const target = new URL(access.server);
  const agent = new Agent({
    keepAlive: true,
    ...(access.ca ? { ca: access.ca } : {}),
    ...(access.cert ? { cert: access.cert } : {}),
    ...(access.key ? { key: access.key } : {}),
    rejectUnauthorized: !access.insecureSkipTLSVerify,
  });
  let failShare = 0;
  let failMatches: (method: string, path: string) => boolean = () => true;
  let flip = false;
  let throttle = 0;
  let throttleMatches: (method: string, path: string) => boolean = () => true;
  let expire = 0;
  let partitioned = false;
  let counts = { total: 0, failed: 0, watches: 0, delayed: 0 };
  let delayMs = 0;
  let delayMatches: (method: string, path: string) => boolean = () => false;
  const watches = new Set<{
    upstream: IncomingMessage;
    res: ServerResponse;
    stalled: boolean;
    path: string;
    delivered: boolean;
  }>();

  const server = createServer((req, res) => {
    if (partitioned) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://proxy');
    const watch = isWatch(url);
    counts.total++;
    if (watch) counts.watches++;
    if (watch && expire > 0) {
      expire--;
      res.writeHead(200, { 'content-type': 'application/json' });
      const gone = {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: 'too old resource version (injected by the fault proxy)',
          reason: 'Expired',
          code: 410,
        },
      };
      res.end(`${JSON.stringify(gone)}\n`);
      return;
    }
    const throttled = !watch && throttle > 0 && throttleMatches(req.method ?? 'GET', url.pathname);
    if (
      throttled ||
      (!watch && failShare > 0 && failMatches(req.method ?? 'GET', url.pathname) && Math.random() < failShare)
    ) {
      counts.failed++;
      req.resume();
      let code: number;
      if (throttled) {
        throttle--;
        code = 429;
      } else {
        flip = !flip;
        code = flip ? 429 : 500;
      }
      res.writeHead(code, {
        'content-type': 'application/json',
        ...(code === 429 ? { 'retry-after': '1' } : {}),
      });
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message: `injected by the fault proxy (${code})`,
          reason: code === 429 ? 'TooManyRequests' : 'InternalError',
          code,
        }),
      );
      return;
    }
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers,
      ...options.headers,
      host: target.host,
    };
    delete headers.authorization;
    const holdMs = !watch && delayMs > 0 && delayMatches(req.method ?? 'GET', url.pathname) ? delayMs : 0;
    if (holdMs > 0) counts.delayed++;
    if (access.token) headers.authorization = `Bearer ${access.token}`;
    const up = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent,
      },
      (upstream) => {
        if (holdMs > 0) {
          upstream.pause();
          setTimeout(() => {
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          }, holdMs);
          return;
        }
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        if (!watch) {
          upstream.pipe(res);
          return;
        }
        const w = { upstream, res, stalled: false, path: url.pathname, delivered: false };
        watches.add(w);
        upstream.on('data', (chunk: Buffer) => {
          if (w.stalled) return;
          w.delivered = true;
          res.write(chunk);
        });
        upstream.on('end', () => {
          watches.delete(w);
          if (!w.stalled) res.end();
        });
        upstream.on('error', () => {
          watches.delete(w);
          res.destroy();
        });
        res.on('close', () => {
          watches.delete(w);
          upstream.destroy();
        });
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  // Idle client connections stay open for 2 minutes (Node's default is 5 s), longer than a client is paused,
  // so a resumed client's requests are not lost on a connection closed meanwhile: they reach the API server.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    kubeconfig(dir) {
      const path = join(dir, `fault-proxy-${new URL(url).port}.kubeconfig`);
      writeFileSync(
        path,
        [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{name: proxy, cluster: {server: "${url}"}}]`,
          'users: [{name: proxy, user: {}}]',
          'contexts: [{name: proxy, context: {cluster: proxy, user: proxy}}]',
          'current-context: proxy',
          '',
        ].join('\n'),
      );
      return path;
    },
    failRequests(share, matches = () => true) {
      failShare = share;
      failMatches = matches;
    },
    throttleNext(n, matches = () => true) {
      throttle = n;
      throttleMatches = matches;
    },
    delayResponses(ms, matches = () => true) {
      delayMs = ms;
      delayMatches = matches;
    },
    cutWatches() {
      const n = watches.size;
      for (const w of [...watches]) {
        w.upstream.destroy();
        w.res.destroy();
      }
      watches.clear();
      return n;
    },
    expireNextWatches(n) {
      expire = n;
    },
    stallWatches() {
      for (const w of watches) w.stalled = true;
      return watches.size;
    },
    openWatches: () => watches.size,
    deliveredWatches: () => [...watches].filter((w) => w.delivered && !w.stalled).map((w) => w.path),
    partition(on) {
      partitioned = on;
      if (!on) return;
      for (const w of [...watches]) {
        w.upstream.destroy();
        w.res.destroy();
      }
      watches.clear();
      server.closeIdleConnections();
    },
    counts: () => ({ ...counts }),
    resetCounts() {
      counts = { total: 0, failed: 0, watches: 0, delayed: 0 };
    },
    async close() {
      for (const w of watches) w.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}
