/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 with the 3.1 flow-control changes), as far as the kubelet's
 * streaming API needs it: pure encoders and decoders, no I/O. Header blocks here are the uncompressed form;
 * compression (zlib primed with the SPDY dictionary, one context per direction) lives in session.ts.
 */

export const ControlType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;
const VERSION = 3;
const MAX_LENGTH = 0xffffff;

export type Frame =
  | { readonly kind: 'data'; readonly streamId: number; readonly flags: number; readonly data: Buffer }
  | { readonly kind: 'control'; readonly type: number; readonly flags: number; readonly payload: Buffer };

export class SpdyProtocolError extends Error {}

/** Splits a buffer into whole frames; the bytes of an incomplete last frame come back as `rest`. */
export function parseFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let off = 0;
  while (buf.length - off >= 8) {
    const length = buf.readUIntBE(off + 5, 3);
    if (buf.length - off < 8 + length) break;
    const flags = buf[off + 4]!;
    const body = buf.subarray(off + 8, off + 8 + length);
    if (buf[off]! & 0x80) {
      const version = buf.readUInt16BE(off) & 0x7fff;
      if (version !== VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
      frames.push({ kind: 'control', type: buf.readUInt16BE(off + 2), flags, payload: body });
    } else {
      frames.push({ kind: 'data', streamId: buf.readUInt32BE(off) & 0x7fffffff, flags, data: body });
    }
    off += 8 + length;
  }
  return { frames, rest: buf.subarray(off) };
}

function header(first: number, second: number, flags: number, length: number): Buffer {
  if (length > MAX_LENGTH) throw new SpdyProtocolError(`frame of ${length} bytes is too long`);
  const h = Buffer.alloc(8);
  h.writeUInt16BE(first, 0);
  h.writeUInt16BE(second, 2);
  h.writeUInt32BE(length, 4);
  h[4] = flags;
  return h;
}

export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  const h = header((streamId >>> 16) & 0x7fff, streamId & 0xffff, fin ? FLAG_FIN : 0, data.length);
  return Buffer.concat([h, data]);
}

export function encodeControl(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header(0x8000 | VERSION, type, flags, payload.length), payload]);
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** An uncompressed name/value header block. Names are lowercased, as SPDY requires. */
export function encodeHeaderBlock(headers: Readonly<Record<string, string>>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Decodes an uncompressed header block; several values of one name (NUL-separated) are kept joined by ", ". */
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  const need = (off: number, n: number) => {
    if (off + n > block.length) throw new SpdyProtocolError('truncated header block');
  };
  need(0, 4);
  const count = block.readUInt32BE(0);
  let off = 4;
  for (let i = 0; i < count; i++) {
    need(off, 4);
    const nl = block.readUInt32BE(off);
    need(off + 4, nl + 4);
    const name = block.toString('utf8', off + 4, off + 4 + nl).toLowerCase();
    off += 4 + nl;
    const vl = block.readUInt32BE(off);
    need(off + 4, vl);
    const value = block
      .toString('utf8', off + 4, off + 4 + vl)
      .split('\0')
      .join(', ');
    off += 4 + vl;
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

interface SynStream {
  readonly streamId: number;
  readonly associatedId: number;
  readonly priority: number;
  /** The compressed header block. */
  readonly block: Buffer;
}

export function parseSynStream(payload: Buffer): SynStream {
  if (payload.length < 10) throw new SpdyProtocolError('short SYN_STREAM');
  return {
    streamId: payload.readUInt32BE(0) & 0x7fffffff,
    associatedId: payload.readUInt32BE(4) & 0x7fffffff,
    priority: payload[8]! >> 5,
    block: payload.subarray(10),
  };
}

/** The stream id and compressed header block of a SYN_REPLY or HEADERS frame. */
export function parseStreamHeaders(payload: Buffer): { streamId: number; block: Buffer } {
  if (payload.length < 4) throw new SpdyProtocolError('short header frame');
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, block: payload.subarray(4) };
}

/** SYN_STREAM: a new stream from this side (priority 0, no associated stream). */
export function encodeSynStream(streamId: number, compressedBlock: Buffer, fin = false): Buffer {
  return encodeControl(
    ControlType.synStream,
    fin ? FLAG_FIN : 0,
    Buffer.concat([u32(streamId), u32(0), Buffer.from([0, 0]), compressedBlock]),
  );
}

export function encodeSynReply(streamId: number, compressedBlock: Buffer, fin = false): Buffer {
  return encodeControl(
    ControlType.synReply,
    fin ? FLAG_FIN : 0,
    Buffer.concat([u32(streamId), compressedBlock]),
  );
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  return encodeControl(ControlType.rstStream, 0, Buffer.concat([u32(streamId), u32(status)]));
}

export function encodeGoAway(lastGoodStreamId: number, status = 0): Buffer {
  return encodeControl(ControlType.goAway, 0, Buffer.concat([u32(lastGoodStreamId), u32(status)]));
}

/** RST_STREAM status codes used here. */
export const RstStatus = { protocolError: 1, refusedStream: 3, cancel: 5 } as const;
