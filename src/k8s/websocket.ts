/**
 * A minimal RFC 6455 WebSocket client over `RestClient.upgrade`, for the API server's streaming endpoints
 * (exec: `v5.channel.k8s.io`; port-forward: `SPDY/3.1+portforward.k8s.io` tunnelling). Binary messages only;
 * client frames are masked, fragmented messages are joined, pings are answered.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { KuberayError } from '../lib/errors.ts';
import { acceptKey, encodeFrame, FrameReader, Opcodes as OP } from '../lib/ws-frames.ts';

/** A client masks every frame with a fresh 4-byte mask (RFC 6455, section 5.3). */
const clientFrame = (opcode: number, payload: Buffer) => encodeFrame(opcode, payload, randomBytes(4));

import type { RestClient } from './rest.ts';

class WebSocketError extends KuberayError {}

interface WebSocketEvents {
  message: [Buffer];
  close: [];
}

class WebSocket extends EventEmitter<WebSocketEvents> {
  readonly protocol: string;
  readonly #socket: Duplex;
  readonly #reader = new FrameReader();
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
    if (!this.#closed) this.#socket.write(clientFrame(OP.binary, data));
  }

  close(): void {
    if (this.#closed) return;
    this.#socket.write(clientFrame(OP.close, Buffer.from([0x03, 0xe8])));
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
    for (const f of this.#reader.push(d)) {
      if (f.opcode === OP.ping) this.#socket.write(clientFrame(OP.pong, f.payload));
      else if (f.opcode === OP.close) {
        if (!this.#closed) this.#socket.end(clientFrame(OP.close, f.payload.subarray(0, 2)));
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
  if (response.headers['sec-websocket-accept'] !== acceptKey(key)) {
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
