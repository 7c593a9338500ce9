/**
 * One SPDY/3.1 session on an upgraded socket. As a server (the local node's kubelet), peers open streams
 * (SYN_STREAM), we accept each with a SYN_REPLY and hand it out as a SpdyStream; as a client (`kubectl ray`'s
 * port-forward) `openStream` opens streams with odd ids. Header blocks are zlib-compressed with the SPDY dictionary, one
 * context per direction for the whole session, so frames are handled strictly in order. Flow control is not
 * enforced: the API server's SPDY client (moby/spdystream) neither sends nor honours WINDOW_UPDATE.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { spdyDictionary } from './dictionary.ts';
import {
  ControlType,
  decodeHeaderBlock,
  encodeControl,
  encodeData,
  encodeGoAway,
  encodeHeaderBlock,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  FLAG_FIN,
  type Frame,
  parseFrames,
  parseStreamHeaders,
  parseSynStream,
  RstStatus,
} from './frames.ts';

const MAX_DATA = 32 * 1024;

/** Runs bytes through a long-lived zlib context and returns what a sync flush yields. */
function zpass(z: Inflate | Deflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (d: Buffer) => chunks.push(d);
    const onError = (e: Error) => {
      z.off('data', onData);
      reject(e);
    };
    z.on('data', onData);
    z.once('error', onError);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      // 'data' for the flushed bytes can trail the callback by a tick.
      setImmediate(() => {
        z.off('data', onData);
        z.off('error', onError);
        resolve(Buffer.concat(chunks));
      });
    });
  });
}

export class SpdyStream extends EventEmitter {
  readonly id: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly #session: SpdySession;
  #localClosed = false;
  #remoteClosed = false;

  constructor(session: SpdySession, id: number, headers: Record<string, string>) {
    super();
    this.#session = session;
    this.id = id;
    this.headers = headers;
  }

  /** Sends data (split into frames of at most 32 KiB). */
  write(data: Buffer | string): void {
    if (this.#localClosed) return;
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < buf.length; off += MAX_DATA)
      this.#session.send(encodeData(this.id, buf.subarray(off, off + MAX_DATA)));
  }

  /** Half-closes our side (an empty DATA frame with FIN). */
  end(data?: Buffer | string): void {
    if (data !== undefined) this.write(data);
    if (this.#localClosed) return;
    this.#localClosed = true;
    this.#session.send(encodeData(this.id, Buffer.alloc(0), true));
  }

  /** Resets the stream (RST_STREAM CANCEL). */
  reset(): void {
    if (this.#localClosed && this.#remoteClosed) return;
    this.#localClosed = true;
    this.#session.send(encodeRstStream(this.id, RstStatus.cancel));
    this.remoteEnd();
  }

  get remoteClosed(): boolean {
    return this.#remoteClosed;
  }

  /** Called by the session: the peer sent FIN or reset the stream, or the session ended. */
  remoteEnd(): void {
    if (this.#remoteClosed) return;
    this.#remoteClosed = true;
    this.emit('end');
  }
}

interface SpdySessionEvents {
  stream: [SpdyStream];
  close: [];
}

export class SpdySession extends EventEmitter<SpdySessionEvents> {
  readonly #socket: Duplex;
  readonly #inflate = createInflate({ dictionary: spdyDictionary });
  readonly #deflate = createDeflate({ dictionary: spdyDictionary });
  readonly #streams = new Map<number, SpdyStream>();
  #pending: Buffer = Buffer.alloc(0);
  #chain: Promise<void> = Promise.resolve();
  #lastStreamId = 0;
  #nextClientId = 1;
  #sendChain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(socket: Duplex, head: Buffer = Buffer.alloc(0)) {
    super();
    this.#socket = socket;
    socket.on('data', (d: Buffer) => this.#receive(d));
    socket.on('close', () => this.#teardown());
    socket.on('error', () => this.#teardown());
    if (head.length > 0) this.#receive(head);
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(frame: Buffer): void {
    if (!this.#closed) this.#socket.write(frame);
  }

  /**
   * Opens a stream with `headers` (client side). Header compression shares one zlib context, so opens are
   * serialized; the stream is usable at once (frames written before the SYN_STREAM is sent are queued by the
   * same chain only for opens, so wait for the returned promise before writing).
   */
  openStream(headers: Readonly<Record<string, string>>): Promise<SpdyStream> {
    const id = this.#nextClientId;
    this.#nextClientId += 2;
    const s = new SpdyStream(this, id, { ...headers });
    this.#streams.set(id, s);
    const opened = this.#sendChain.then(async () => {
      const block = await zpass(this.#deflate, encodeHeaderBlock(headers));
      this.send(encodeSynStream(id, block));
      return s;
    });
    this.#sendChain = opened.then(
      () => undefined,
      () => undefined,
    );
    return opened;
  }

  /** Says GOAWAY and closes the socket once what was written has gone out. */
  close(): void {
    if (this.#closed) return;
    this.send(encodeGoAway(this.#lastStreamId));
    this.#socket.end();
    this.#teardown();
  }

  #receive(d: Buffer): void {
    let frames: Frame[];
    try {
      const parsed = parseFrames(this.#pending.length ? Buffer.concat([this.#pending, d]) : d);
      this.#pending = parsed.rest;
      frames = parsed.frames;
    } catch {
      this.#socket.destroy();
      return;
    }
    for (const f of frames)
      this.#chain = this.#chain
        .then(() => this.#handle(f))
        .catch(() => {
          this.#socket.destroy();
        });
  }

  async #handle(f: Frame): Promise<void> {
    if (this.#closed) return;
    if (f.kind === 'data') {
      const s = this.#streams.get(f.streamId);
      if (!s) return;
      if (f.data.length > 0) s.emit('data', f.data);
      if (f.flags & FLAG_FIN) this.#remoteEnd(s);
      return;
    }
    switch (f.type) {
      case ControlType.synStream: {
        const syn = parseSynStream(f.payload);
        const headers = decodeHeaderBlock(await zpass(this.#inflate, syn.block));
        this.#lastStreamId = Math.max(this.#lastStreamId, syn.streamId);
        const s = new SpdyStream(this, syn.streamId, headers);
        this.#streams.set(syn.streamId, s);
        const reply = await zpass(this.#deflate, encodeHeaderBlock({}));
        this.send(encodeSynReply(syn.streamId, reply));
        this.emit('stream', s);
        if (f.flags & FLAG_FIN) this.#remoteEnd(s);
        return;
      }
      case ControlType.synReply:
      case ControlType.headers: {
        // Keep the decompression context in step even though nothing here needs these headers.
        await zpass(this.#inflate, parseStreamHeaders(f.payload).block);
        const s = this.#streams.get(parseStreamHeaders(f.payload).streamId);
        if (s && f.flags & FLAG_FIN) this.#remoteEnd(s);
        return;
      }
      case ControlType.rstStream: {
        const s = this.#streams.get(f.payload.readUInt32BE(0) & 0x7fffffff);
        if (s) {
          s.emit('reset');
          this.#remoteEnd(s);
        }
        return;
      }
      case ControlType.ping:
        this.send(encodeControl(ControlType.ping, 0, f.payload));
        return;
      case ControlType.goAway:
        this.close();
        return;
      default:
        // SETTINGS, WINDOW_UPDATE: nothing to do.
        return;
    }
  }

  #remoteEnd(s: SpdyStream): void {
    s.remoteEnd();
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#streams.values()) s.remoteEnd();
    this.#streams.clear();
    this.#inflate.close();
    this.#deflate.close();
    this.emit('close');
  }
}
