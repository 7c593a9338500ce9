import { createHash } from 'node:crypto';

/**
 * RFC 6455 framing, the one codec of the repository: the Kubernetes exec and port-forward client
 * (`k8s/websocket.ts`), the light-weight submitter's log tail (client) and FakeDashboardServer's tail endpoint
 * (server) use it. The handshake key, frames (masked from a client, unmasked from a server) and their parsing.
 * Pure functions over Buffers (the mask is passed in).
 */
export const Opcodes = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

const handshakeGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}${handshakeGuid}`).digest('base64');
}

/**
 * One final (FIN) frame. Servers never mask; a client must mask every frame with a fresh 4-byte `mask`.
 */
export function encodeFrame(
  opcode: number,
  payload: Buffer | string = Buffer.alloc(0),
  mask?: Buffer,
): Buffer {
  let body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  if (mask) body = Buffer.from(body.map((b, i) => b ^ mask[i % 4]!));
  let header: Buffer;
  if (body.length < 126) {
    header = Buffer.from([0x80 | opcode, body.length]);
  } else if (body.length <= 0xffff) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(body.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(body.length), 2);
  }
  if (!mask) return Buffer.concat([header, body]);
  header[1] = header[1]! | 0x80;
  return Buffer.concat([header, mask, body]);
}

/** A close frame: a 2-byte code and an optional UTF-8 reason. */
export function closeFrame(code: number, reason = '', mask?: Buffer): Buffer {
  const r = Buffer.from(reason, 'utf8');
  const payload = Buffer.alloc(2 + r.length);
  payload.writeUInt16BE(code, 0);
  r.copy(payload, 2);
  return encodeFrame(Opcodes.close, payload, mask);
}

interface WebSocketFrame {
  readonly fin: boolean;
  readonly opcode: number;
  /** Unmasked. */
  readonly payload: Buffer;
}

/**
 * Splits a byte stream into complete frames (unmasking client frames); `rest` holds the bytes of an
 * incomplete frame, to be prefixed to the next chunk.
 */
export function parseFrames(buf: Buffer): { frames: WebSocketFrame[]; rest: Buffer } {
  const frames: WebSocketFrame[] = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
    const b0 = buf[off]!;
    const b1 = buf[off + 1]!;
    const masked = (b1 & 0x80) !== 0;
    let len = b1 & 0x7f;
    let pos = off + 2;
    if (len === 126) {
      if (buf.length - pos < 2) break;
      len = buf.readUInt16BE(pos);
      pos += 2;
    } else if (len === 127) {
      if (buf.length - pos < 8) break;
      len = Number(buf.readBigUInt64BE(pos));
      pos += 8;
    }
    const maskLen = masked ? 4 : 0;
    if (buf.length - pos < maskLen + len) break;
    const mask = masked ? buf.subarray(pos, pos + 4) : undefined;
    pos += maskLen;
    const payload = Buffer.from(buf.subarray(pos, pos + len));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload });
    off = pos + len;
  }
  return { frames, rest: buf.subarray(off) };
}

/** The code of a close frame's payload (1005, "no status", when it has none). */
export function closeCode(payload: Buffer): number {
  return payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
}

/** The reason text of a close frame's payload. */
export function closeReason(payload: Buffer): string {
  return payload.length > 2 ? payload.subarray(2).toString('utf8') : '';
}

/** The code and the reason text of a close frame's payload. */
export function closeStatus(payload: Buffer): { code: number; reason: string } {
  return { code: closeCode(payload), reason: closeReason(payload) };
}

/**
 * Frames of a byte stream that arrives in chunks: `push` returns the frames a chunk completes and keeps the
 * bytes of an incomplete frame until the next chunk brings the rest.
 */
export class FrameReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WebSocketFrame[] {
    const { frames, rest } = parseFrames(
      this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk,
    );
    this.#pending = rest;
    return frames;
  }
}

/**
 * Joins data frames into messages: a text or binary frame starts a message, continuation frames extend it,
 * the FIN bit ends it. Returns the completed message, or undefined while one is still open.
 */
export class MessageAssembler {
  #parts: Buffer[] = [];
  #open = false;

  push(f: WebSocketFrame): Buffer | undefined {
    if (f.opcode === Opcodes.text || f.opcode === Opcodes.binary) {
      this.#parts = [f.payload];
      this.#open = true;
    } else if (f.opcode === Opcodes.continuation && this.#open) {
      this.#parts.push(f.payload);
    } else {
      return undefined;
    }
    if (!f.fin) return undefined;
    this.#open = false;
    const out = Buffer.concat(this.#parts);
    this.#parts = [];
    return out;
  }
}
