import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody } from '../lib/read-body.ts';
import { acceptKey, closeCode, closeFrame, encodeFrame, FrameReader, Opcodes } from '../lib/ws-frames.ts';
import { alreadySubmittedMarker, isJobAlreadySubmitted, isJobNotFound } from './dashboard-client.ts';
import type { FakeDashboard } from './fake-dashboard.ts';
import type { RayJobRequest } from './types.ts';

/** One request the server received (WebSocket upgrades included), for assertions. */
interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** The server end of one log-tail WebSocket. */
export interface TailSocket {
  readonly jobId: string;
  send(text: string): void;
  /** Sends a close frame with this code and ends the connection. */
  close(code: number, reason?: string): void;
  /** Drops the TCP connection without a close frame (the client sees 1006). */
  drop(): void;
}

export interface FakeDashboardServerOptions {
  /** Serves this FakeDashboard's jobs over HTTP. */
  readonly dashboard: FakeDashboard;
  /**
   * Drives `/api/jobs/<id>/logs/tail`. Default: send the job's logs (getJobLogs) as one message and close
   * normally (1000), as Ray does once the job has finished; a job that does not exist gets close code 1011.
   */
  readonly tail?: (socket: TailSocket) => void | Promise<void>;
}

interface FakeDashboardServer {
  /** `127.0.0.1:<port>`: what RAY_DASHBOARD_ADDRESS and RayJob `status.dashboardURL` hold. */
  readonly address: string;
  readonly requests: RecordedRequest[];
  /** Close codes the clients sent back on tail sockets. */
  readonly clientCloseCodes: number[];
  close(): Promise<void>;
}

/**
 * A Ray dashboard over real HTTP (and a WebSocket for the log tail) backed by a FakeDashboard: for testing
 * programs that talk to the dashboard themselves, such as the light-weight submitter.
 */
export async function startFakeDashboardServer(o: FakeDashboardServerOptions): Promise<FakeDashboardServer> {
  const requests: RecordedRequest[] = [];
  const clientCloseCodes: number[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    // Ray's dashboard refuses POST and PUT that look like browser traffic (any Sec-Fetch-*, Origin or Referer
    // header, or a Mozilla user agent); so does this fake, so clients built on fetch fail here as on Ray.
    if ((req.method === 'POST' || req.method === 'PUT') && looksLikeBrowser(req.headers)) {
      reply(405, 'Method Not Allowed for browser traffic.');
      return;
    }
    try {
      const out = await route(o.dashboard, req.method ?? 'GET', req.url ?? '/', body);
      reply(out.status, out.body);
    } catch (e) {
      reply(500, `fake dashboard: ${(e as Error).message}`);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    requests.push({ method: 'GET', path: req.url ?? '', headers: req.headers, body: '' });
    const m = /^\/api\/jobs\/([^/]+)\/logs\/tail$/.exec(req.url ?? '');
    const key = req.headers['sec-websocket-key'];
    if (!m || typeof key !== 'string') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
    );
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      for (const f of reader.push(chunk))
        if (f.opcode === Opcodes.close) clientCloseCodes.push(closeCode(f.payload));
    });
    socket.on('error', () => {});
    const tailSocket: TailSocket = {
      jobId: decodeURIComponent(m[1]!),
      send: (text) => socket.write(encodeFrame(Opcodes.text, text)),
      close: (code, reason) => {
        socket.write(closeFrame(code, reason));
        socket.end();
      },
      drop: () => socket.destroy(),
    };
    void (async () => {
      try {
        await (o.tail ?? defaultTail(o.dashboard))(tailSocket);
      } catch {
        tailSocket.close(1011, 'fake dashboard tail failed');
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    clientCloseCodes,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const defaultTail = (dashboard: FakeDashboard) => async (s: TailSocket) => {
  const logs = await dashboard.getJobLogs(s.jobId);
  if (logs === undefined) return s.close(1011, `job ${s.jobId} does not exist`);
  s.send(logs);
  s.close(1000);
};

async function route(
  d: FakeDashboard,
  method: string,
  url: string,
  body: string,
): Promise<{ status: number; body: unknown }> {
  const path = url.split('?')[0]!;
  if (method === 'GET' && path === '/api/gcs_healthz')
    return (await d.checkGcsHealth()) ? { status: 200, body: 'success' } : { status: 503, body: 'unhealthy' };
  if (path === '/api/jobs/' && method === 'GET') return { status: 200, body: await d.listJobs() };
  if (path === '/api/jobs/' && method === 'POST') {
    const request = JSON.parse(body) as RayJobRequest;
    try {
      const id = await d.submitJob(request);
      return { status: 200, body: { job_id: id, submission_id: id } };
    } catch (e) {
      if (!isJobAlreadySubmitted(e)) throw e;
      return {
        status: 500,
        body: `Job with submission_id ${request.submission_id} already exists. ${alreadySubmittedMarker}.`,
      };
    }
  }
  const m = /^\/api\/jobs\/([^/]+)(\/logs|\/stop)?$/.exec(path);
  if (!m) return { status: 404, body: `no route ${method} ${path}` };
  const id = decodeURIComponent(m[1]!);
  try {
    if (m[2] === '/logs' && method === 'GET') {
      const logs = await d.getJobLogs(id);
      return logs === undefined ? { status: 404, body: 'not found' } : { status: 200, body: { logs } };
    }
    if (m[2] === '/stop' && method === 'POST') {
      await d.stopJob(id);
      return { status: 200, body: { stopped: true } };
    }
    if (!m[2] && method === 'GET') return { status: 200, body: await d.getJobInfo(id) };
    if (!m[2] && method === 'DELETE') {
      await d.deleteJob(id);
      return { status: 200, body: true };
    }
  } catch (e) {
    if (isJobNotFound(e)) return { status: 404, body: `Job ${id} does not exist` };
    throw e;
  }
  return { status: 405, body: `${method} ${path} not supported` };
}

function looksLikeBrowser(headers: IncomingMessage['headers']): boolean {
  if ((headers['user-agent'] ?? '').startsWith('Mozilla')) return true;
  return Object.keys(headers).some((h) => h.startsWith('sec-fetch-') || h === 'origin' || h === 'referer');
}
