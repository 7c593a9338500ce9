/**
 * A minimal RFC 6455 WebSocket client over `RestClient.upgrade`, for the API server's streaming endpoints
 * (exec: `v5.channel.k8s.io`; port-forward: `SPDY/3.1+portforward.k8s.io` tunnelling). Binary messages only;
 * client frames are masked, fragmented messages are joined, pings are answered.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { KuberayError } from '../lib/errors.ts';
import type { RestClient } from './rest.ts';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

class WebSocketError extends KuberayError {}

/** One encoded client frame (masked). */
export function encodeFrame(opcode: number, payload: Buffer, mask: Buffer = randomBytes(4)): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = 0x80 | len;
  else if (len < 65536) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([head, mask, body]);
}

interface DecodedFrame {
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Buffer;
}

/** Splits server frames off the front of `buf` (unmasked, or masked: both accepted). */
export function decodeFrames(buf: Buffer): { frames: DecodedFrame[]; rest: Buffer } {
  const frames: DecodedFrame[] = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
    const b0 = buf[off]!;
    const b1 = buf[off + 1]!;
    let len = b1 & 0x7f;
    let p = off + 2;
    if (len === 126) {
      if (buf.length - p < 2) break;
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      if (buf.length - p < 8) break;
      len = Number(buf.readBigUInt64BE(p));
      p += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const mask = masked ? buf.subarray(p, p + 4) : undefined;
    if (masked) p += 4;
    if (buf.length - p < len) break;
    let payload = buf.subarray(p, p + len);
    if (mask) payload = Buffer.from(payload.map((x, i) => x ^ mask[i & 3]!));
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload: Buffer.from(payload) });
    off = p + len;
  }
  return { frames, rest: buf.subarray(off) };
}

interface WebSocketEvents {
  message: [Buffer];
  close: [];
}

class WebSocket extends EventEmitter<WebSocketEvents> {
  readonly protocol: string;
  readonly #socket: Duplex;
  #pending: Buffer = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #closed = false;

  constructor(socket: Duplex, protocol: string, head: Buffer) {
    super();
    this.#socket = socket;
    this.protocol = protocol;
    socket.on('data', (d: Buffer) => this.#receive(d));
    socket.on('close', () => this.#end());
    socket.on('error', () => this.#end());
    if (head.length) queueMicrotask(() => this.#receive(head));
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(data: Buffer): void {
    if (!this.#closed) this.#socket.write(encodeFrame(OP.binary, data));
  }

  close(): void {
    if (this.#closed) return;
    this.#socket.write(encodeFrame(OP.close, Buffer.from([0x03, 0xe8])));
    this.#socket.end();
    this.#end();
  }

  /** The binary message stream as a Duplex (for protocols tunnelled through WebSocket, e.g. SPDY). */
  toDuplex(): Duplex {
    const ws = this;
    const d = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        ws.send(chunk);
        cb();
      },
      final(cb) {
        ws.close();
        cb();
      },
      destroy(err, cb) {
        ws.close();
        cb(err);
      },
    });
    this.on('message', (m) => d.push(m));
    this.on('close', () => {
      d.push(null);
      d.destroy();
    });
    return d;
  }

  #receive(d: Buffer): void {
    const { frames, rest } = decodeFrames(this.#pending.length ? Buffer.concat([this.#pending, d]) : d);
    this.#pending = rest;
    for (const f of frames) {
      if (f.opcode === OP.ping) this.#socket.write(encodeFrame(OP.pong, f.payload));
      else if (f.opcode === OP.close) {
        if (!this.#closed) this.#socket.end(encodeFrame(OP.close, f.payload.subarray(0, 2)));
        this.#end();
      } else if (f.opcode === OP.binary || f.opcode === OP.text || f.opcode === OP.continuation) {
        this.#fragments.push(f.payload);
        if (f.fin) {
          const msg = Buffer.concat(this.#fragments);
          this.#fragments = [];
          this.emit('message', msg);
        }
      }
    }
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.emit('close');
  }
}

/** Opens a WebSocket to the API server at `path` offering `protocols`; throws when none is accepted. */
export async function connectWebSocket(
  rest: RestClient,
  path: string,
  protocols: readonly string[],
  signal?: AbortSignal,
): Promise<WebSocket> {
  const key = randomBytes(16).toString('base64');
  const { socket, head, response } = await rest.upgrade(
    path,
    {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': key,
      'sec-websocket-protocol': protocols.join(', '),
    },
    signal,
  );
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  if (response.headers['sec-websocket-accept'] !== accept) {
    socket.destroy();
    throw new WebSocketError(`${path}: the server's WebSocket handshake is invalid`);
  }
  const protocol = String(response.headers['sec-websocket-protocol'] ?? '');
  if (!protocols.includes(protocol)) {
    socket.destroy();
    throw new WebSocketError(`${path}: the server accepted none of the protocols ${protocols.join(', ')}`);
  }
  return new WebSocket(socket, protocol, head);
}
