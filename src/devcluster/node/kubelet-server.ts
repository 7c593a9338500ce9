import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../lib/logger.ts';
import { nowNs } from './container-io.ts';
import { type ContainerLogRequest, parseLogRequest } from './container-logs.ts';
import { LogRenderer, parseRecord, splitLines, tailRecords } from './cri-log.ts';
import { handleStreamingUpgrade, type StreamingBackend } from './streaming.ts';
import { run } from './sys.ts';

/** Where a container's log is and whether it is still being written. */
export interface LogLocation {
  readonly file: string;
  readonly live: () => boolean;
}

/** Finds a container's current (or previous) log, or the kubelet's error (status and message). */
type LogFinder = (
  namespace: string,
  pod: string,
  container: string,
  previous: boolean,
) => LogLocation | { status: number; message: string };

/** Creates a self-signed serving certificate for the node (the API server does not verify it by default). */
export async function selfSignedCert(
  dir: string,
  node: string,
  ip: string,
): Promise<{ cert: Buffer; key: Buffer }> {
  const cert = join(dir, 'kubelet.crt');
  const key = join(dir, 'kubelet.key');
  if (!existsSync(cert)) {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '3650',
      '-subj',
      `/CN=${node}`,
      '-addext',
      `subjectAltName=IP:${ip},DNS:${node}`,
    ]);
  }
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

/** The most of a log file read at once (older records of a bigger file are not served). */
const MAX_READ = 64 << 20;

function readRange(file: string, start: number, end: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    const n = readSync(fd, buf, 0, buf.length, start);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The records a request selects from a log file as it is now, and where the file ended. */
function readLog(file: string, r: ContainerLogRequest, renderer: LogRenderer): { text: Buffer; end: number } {
  if (!existsSync(file)) return { text: Buffer.alloc(0), end: 0 };
  const size = statSync(file).size;
  const start = Math.max(0, size - MAX_READ);
  let buf = readRange(file, start, size);
  if (start > 0) buf = buf.subarray(buf.indexOf(10) + 1);
  const { lines, rest } = splitLines(buf);
  const records = lines.map(parseRecord).filter((x) => x !== undefined);
  return { text: renderer.render(tailRecords(records, r.tailLines)), end: size - rest.length };
}

async function follow(
  res: ServerResponse,
  loc: LogLocation,
  from: number,
  renderer: LogRenderer,
): Promise<void> {
  let pos = from;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  for (;;) {
    if (closed) return;
    if (renderer.exhausted) {
      res.end();
      return;
    }
    const size = existsSync(loc.file) ? statSync(loc.file).size : pos;
    const chunk = size > pos ? readRange(loc.file, pos, Math.min(size, pos + MAX_READ)) : Buffer.alloc(0);
    const { lines, rest } = splitLines(chunk);
    if (lines.length > 0) {
      pos += chunk.length - rest.length;
      const out = renderer.render(lines.map(parseRecord).filter((x) => x !== undefined));
      if (out.length) res.write(out);
    } else if (!loc.live()) {
      res.end();
      return;
    } else {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * The part of the kubelet API that `kubectl logs` needs: GET /containerLogs/{ns}/{pod}/{container} with
 * follow, previous, timestamps, tailLines, sinceSeconds, sinceTime and limitBytes (as a kubelet: tailLines
 * first, then the since filter, limitBytes on what is sent), plus /healthz; and the streaming upgrades.
 */
export function startKubeletServer(opts: {
  host: string;
  port: number;
  cert: Buffer;
  key: Buffer;
  find: LogFinder;
  streaming: StreamingBackend;
  /** The cluster CA: every request but /healthz must bring a client certificate it signed, as at a kubelet. */
  clientCa?: Buffer;
  log: Logger;
}): Promise<Server> {
  const authenticated = (socket: unknown) => !opts.clientCa || (socket as TLSSocket).authorized === true;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://node');
    if (url.pathname === '/healthz') {
      res.end('ok');
      return;
    }
    if (!authenticated(req.socket)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized\n');
      return;
    }
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!m || req.method !== 'GET') {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(`the local node does not serve ${url.pathname}\n`);
      return;
    }
    const [, ns, pod, container] = m.map((x) => decodeURIComponent(x ?? '')) as [
      string,
      string,
      string,
      string,
    ];
    const r = parseLogRequest(url.searchParams, nowNs());
    if (typeof r === 'string') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`${r}\n`);
      return;
    }
    const loc = opts.find(ns, pod, container, r.previous);
    if ('status' in loc) {
      res.writeHead(loc.status, { 'content-type': 'text/plain' }).end(`${loc.message}\n`);
      return;
    }
    const renderer = new LogRenderer(r);
    const { text, end } = readLog(loc.file, r, renderer);
    res.writeHead(200, { 'content-type': 'text/plain' });
    if (!r.follow) {
      res.end(text);
      return;
    }
    res.write(text);
    void follow(res, loc, end, renderer);
  };
  return new Promise((resolve, reject) => {
    const tls = opts.clientCa ? { ca: opts.clientCa, requestCert: true, rejectUnauthorized: false } : {};
    const server = createServer({ cert: opts.cert, key: opts.key, ...tls }, (req, res) => {
      try {
        handle(req, res);
      } catch (err) {
        opts.log.warn('kubelet request failed', { err, url: req.url });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    });
    // Upgraded connections (exec, attach, port-forward sessions) are not the HTTP server's any more:
    // closeAllConnections() must end them too, or close() waits for sessions the API server keeps open.
    const upgraded = new Set<Duplex>();
    const closeHttp = server.closeAllConnections.bind(server);
    server.closeAllConnections = () => {
      closeHttp();
      for (const s of upgraded) s.destroy();
    };
    server.on('upgrade', (req, socket, head) => {
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
      if (!authenticated(socket)) {
        socket.end(
          'HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nUnauthorized\n',
        );
        return;
      }
      try {
        handleStreamingUpgrade(req, socket, head, opts.streaming, opts.log);
      } catch (err) {
        opts.log.warn('kubelet streaming request failed', { err, url: req.url });
        socket.destroy();
      }
    });
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
