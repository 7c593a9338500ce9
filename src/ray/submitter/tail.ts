import { randomBytes } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { requestFor } from '../../lib/node-http.ts';
import {
  acceptKey,
  closeFrame,
  closeStatus,
  encodeFrame,
  FrameReader,
  MessageAssembler,
  Opcodes,
} from '../../lib/ws-frames.ts';

/** WebSocket close code of a normal closure: Ray closes the log stream this way when the job has finished. */
export const normalClosure = 1000;
/** The code reported when the connection ended without a close frame (RFC 6455, section 7.1.5). */
export const abnormalClosure = 1006;

export interface TailOptions {
  /** `ws://host:port/api/jobs/<id>/logs/tail` (or `wss://`). */
  readonly url: string;
  /** Ray token auth: sent as `X-Ray-Authorization: Bearer <token>`. */
  readonly authToken?: string;
  /** Called with each message, in order (binary messages decoded as UTF-8). */
  readonly onMessage: (text: string) => void;
  /** How long the handshake may take (default 10 s); the stream itself has no time limit. */
  readonly connectTimeoutMs?: number;
}

export interface TailResult {
  /** The close code (1006 when the connection dropped without a close frame, 0 when it never opened). */
  readonly code: number;
  readonly reason: string;
  /** Set when the connection could not be opened or failed. */
  readonly error?: string;
}

/**
 * Follows a job's logs over the dashboard's WebSocket until the stream closes. A small RFC 6455 client on
 * node:http's upgrade: Node's global WebSocket (undici) always offers `permessage-deflate`, and Ray 2.52's
 * dashboard, which proxies the tail to a subprocess, then delivers no messages at all (checked against real
 * Ray; Python's aiohttp with compression shows the same). This client offers no extensions. Never rejects.
 */
export function tailJobLogs(o: TailOptions): Promise<TailResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: TailResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timeoutMs = o.connectTimeoutMs ?? 10_000;
    let url: URL;
    try {
      url = new URL(o.url.replace(/^ws/, 'http'));
    } catch {
      done({ code: 0, reason: '', error: `not a WebSocket URL: ${o.url}` });
      return;
    }
    const key = randomBytes(16).toString('base64');
    const headers: Record<string, string> = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': key,
    };
    if (o.authToken) headers['X-Ray-Authorization'] = `Bearer ${o.authToken}`;
    const req: ClientRequest = requestFor(url)(url, { headers });
    const timer = setTimeout(() => {
      req.destroy();
      done({
        code: 0,
        reason: '',
        error: `no WebSocket handshake with ${o.url} within ${timeoutMs / 1000} s`,
      });
    }, timeoutMs);
    req.on('error', (e) => done({ code: 0, reason: '', error: `cannot connect to ${o.url}: ${e.message}` }));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').slice(0, 500);
        done({ code: 0, reason: '', error: `${o.url} answered HTTP ${res.statusCode}: ${body}` });
      });
    });
    req.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      clearTimeout(timer);
      if (res.headers['sec-websocket-accept'] !== acceptKey(key)) {
        socket.destroy();
        done({ code: 0, reason: '', error: `${o.url}: bad Sec-WebSocket-Accept in the handshake` });
        return;
      }
      follow(socket, head, o.onMessage, done);
    });
    req.end();
  });
}

function follow(
  socket: Socket,
  head: Buffer,
  onMessage: (text: string) => void,
  done: (r: TailResult) => void,
): void {
  const reader = new FrameReader();
  const assembler = new MessageAssembler();
  const mask = () => randomBytes(4);
  let closed: { code: number; reason: string } | undefined;
  let error: string | undefined;
  const onData = (chunk: Buffer) => {
    for (const f of reader.push(chunk)) {
      if (closed) return;
      if (f.opcode === Opcodes.close) {
        closed = closeStatus(f.payload);
        // Echo the close (1005 "no status" is never sent on the wire) and end our half.
        socket.end(closeFrame(closed.code === 1005 ? normalClosure : closed.code, '', mask()));
        // The server ends the TCP connection next; do not wait for ever if it does not.
        setTimeout(() => socket.destroy(), 2_000).unref();
      } else if (f.opcode === Opcodes.ping) {
        socket.write(encodeFrame(Opcodes.pong, f.payload, mask()));
      } else {
        const message = assembler.push(f);
        if (message) onMessage(message.toString('utf8'));
      }
    }
  };
  socket.on('data', onData);
  socket.on('error', (e) => {
    error ??= e.message;
  });
  socket.on('close', () =>
    done(
      closed
        ? closed
        : {
            code: abnormalClosure,
            reason: '',
            error: `connection lost without a close frame${error ? `: ${error}` : ''}`,
          },
    ),
  );
  if (head.length > 0) onData(head);
}
