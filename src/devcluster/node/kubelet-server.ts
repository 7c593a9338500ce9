import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../lib/logger.ts';
import { handleStreamingUpgrade, type StreamingBackend } from './streaming.ts';
import { run } from './sys.ts';

/** Where a container's log is and whether it is still being written. */
export interface LogLocation {
  readonly file: string;
  readonly live: () => boolean;
}

/** Finds a container's current (or previous) log; a string is an error message (404). */
export type LogFinder = (
  namespace: string,
  pod: string,
  container: string,
  previous: boolean,
) => LogLocation | string;

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

function tail(
  file: string,
  lines: number | undefined,
  limitBytes: number | undefined,
): { text: Buffer; end: number } {
  const size = statSync(file).size;
  const maxRead = 16 << 20;
  const start = Math.max(0, size - maxRead);
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(size - start);
  try {
    readSync(fd, buf, 0, buf.length, start);
  } finally {
    closeSync(fd);
  }
  let text = buf;
  if (lines !== undefined) {
    let idx = text.length;
    if (text[idx - 1] === 10) idx--;
    let n = 0;
    while (idx > 0 && n < lines) {
      idx--;
      if (text[idx] === 10) n++;
    }
    text = n === lines && idx > 0 ? text.subarray(idx + 1) : lines === 0 ? text.subarray(text.length) : text;
  }
  if (limitBytes !== undefined && text.length > limitBytes) text = text.subarray(0, limitBytes);
  return { text, end: size };
}

async function follow(res: ServerResponse, loc: LogLocation, from: number): Promise<void> {
  let pos = from;
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  for (;;) {
    if (closed) return;
    const size = existsSync(loc.file) ? statSync(loc.file).size : pos;
    if (size > pos) {
      await new Promise<void>((resolve) => {
        const s = createReadStream(loc.file, { start: pos, end: size - 1 });
        s.on('data', (d) => res.write(d));
        s.on('end', () => resolve());
        s.on('error', () => resolve());
      });
      pos = size;
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
 * follow, previous, tailLines and limitBytes (timestamps and sinceSeconds are ignored), plus /healthz.
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
    const q = url.searchParams;
    const flag = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
    const num = (k: string) => (q.has(k) && /^\d+$/.test(q.get(k)!) ? Number(q.get(k)) : undefined);
    const loc = opts.find(ns, pod, container, flag('previous'));
    if (typeof loc === 'string') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`${loc}\n`);
      return;
    }
    const { text, end } = existsSync(loc.file)
      ? tail(loc.file, num('tailLines'), num('limitBytes'))
      : { text: Buffer.alloc(0), end: 0 };
    res.writeHead(200, { 'content-type': 'text/plain' });
    if (!flag('follow')) {
      res.end(text);
      return;
    }
    res.write(text);
    void follow(res, loc, end);
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
    server.on('upgrade', (req, socket, head) => {
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
