/**
 * Container log files in the CRI format a kubelet reads (`<RFC3339Nano time> <stdout|stderr> <F|P> <text>`,
 * one record a line; `P` marks a piece of a longer line whose end follows), and the kubelet's selection of
 * what `GET /containerLogs` returns: tailLines, sinceTime/sinceSeconds, timestamps, limitBytes.
 */

export type LogStream = 'stdout' | 'stderr';

/** One record of a log file. */
export interface LogRecord {
  /** The time as written (RFC3339Nano). */
  readonly time: string;
  /** Nanoseconds since the epoch, for comparisons. */
  readonly ns: bigint;
  readonly stream: LogStream;
  /** True for a piece of a line (its end is in a later record). */
  readonly partial: boolean;
  readonly text: Buffer;
}

/** The longest record; a longer line is written as several `P` records, as containerd does (16 KiB). */
export const MAX_RECORD_BYTES = 16 * 1024;

/** Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped, no fraction when it is zero. */
export function formatTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}

/** Parses an RFC3339 time (any offset, any fraction) to nanoseconds since the epoch; undefined if invalid. */
export function parseTime(s: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3] === 'Z' ? 'Z' : m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

/** Encodes one record as a file line. */
export function encodeRecord(ns: bigint, stream: LogStream, partial: boolean, text: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${formatTime(ns)} ${stream} ${partial ? 'P' : 'F'} `), text, NL]);
}

const NL = Buffer.from('\n');

/** Parses one file line (without its newline); undefined for a line that is not a record. */
export function parseRecord(line: Buffer): LogRecord | undefined {
  const s1 = line.indexOf(32);
  const s2 = s1 < 0 ? -1 : line.indexOf(32, s1 + 1);
  if (s2 < 0 || line.length < s2 + 2) return undefined;
  const time = line.subarray(0, s1).toString();
  const stream = line.subarray(s1 + 1, s2).toString();
  const tag = line[s2 + 1];
  const ns = parseTime(time);
  if (ns === undefined || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  if (tag !== 0x46 && tag !== 0x50) return undefined; // F, P
  const text = line.length > s2 + 2 ? line.subarray(s2 + 3) : Buffer.alloc(0);
  return { time, ns, stream, partial: tag === 0x50, text };
}

/** Splits a buffer into file lines; the rest after the last newline is returned apart (an unfinished write). */
export function splitLines(buf: Buffer): { lines: Buffer[]; rest: Buffer } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, start)) {
    lines.push(buf.subarray(start, i));
    start = i + 1;
  }
  return { lines, rest: buf.subarray(start) };
}

/**
 * Turns a container's output into records: complete lines become `F` records, an unfinished line waits for
 * its end (or is cut into `P` records at MAX_RECORD_BYTES, or flushed by `flush()` when the stream ends).
 */
export class LineSplitter {
  #pending: Buffer = Buffer.alloc(0);
  readonly #emit: (partial: boolean, text: Buffer) => void;

  constructor(emit: (partial: boolean, text: Buffer) => void) {
    this.#emit = emit;
  }

  push(chunk: Buffer): void {
    let buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10)) {
      this.#pieces(buf.subarray(0, i), false);
      buf = buf.subarray(i + 1);
    }
    while (buf.length >= MAX_RECORD_BYTES) {
      this.#emit(true, buf.subarray(0, MAX_RECORD_BYTES));
      buf = buf.subarray(MAX_RECORD_BYTES);
    }
    this.#pending = Buffer.from(buf);
  }

  /** The stream ended: an unfinished line is written as it is (a `F` record, as the runtime does). */
  flush(): void {
    if (this.#pending.length) this.#emit(false, this.#pending);
    this.#pending = Buffer.alloc(0);
  }

  #pieces(line: Buffer, partial: boolean): void {
    let rest = line;
    while (rest.length > MAX_RECORD_BYTES) {
      this.#emit(true, rest.subarray(0, MAX_RECORD_BYTES));
      rest = rest.subarray(MAX_RECORD_BYTES);
    }
    this.#emit(partial, rest);
  }
}

/** What the kubelet's `GET /containerLogs` query asks for (already validated). */
export interface LogQuery {
  readonly tailLines?: number;
  /** Nanoseconds since the epoch: only records at or after it. */
  readonly sinceNs?: bigint;
  readonly timestamps?: boolean;
  readonly limitBytes?: number;
}

/**
 * Renders records for a reader, as the kubelet does: a timestamp before each line (not before the pieces
 * that continue a partial one), a newline after each complete one. `continuing` carries whether the last
 * record rendered so far was partial, across calls (follow).
 */
export class LogRenderer {
  #continuing = false;
  #left: number;
  readonly #q: LogQuery;

  constructor(q: LogQuery) {
    this.#q = q;
    this.#left = q.limitBytes ?? Number.POSITIVE_INFINITY;
  }

  /** True once limitBytes is used up (a follow stops then). */
  get exhausted(): boolean {
    return this.#left <= 0;
  }

  render(records: readonly LogRecord[]): Buffer {
    const out: Buffer[] = [];
    for (const r of records) {
      if (this.#left <= 0) break;
      if (this.#q.sinceNs !== undefined && r.ns < this.#q.sinceNs) continue;
      const parts: Buffer[] = [];
      if (this.#q.timestamps && !this.#continuing) parts.push(Buffer.from(`${r.time} `));
      parts.push(r.text);
      if (!r.partial) parts.push(NL);
      this.#continuing = r.partial;
      let piece = Buffer.concat(parts);
      if (piece.length > this.#left) piece = piece.subarray(0, this.#left);
      this.#left -= piece.length;
      out.push(piece);
    }
    return Buffer.concat(out);
  }
}

/** The records of the last `n` lines (a partial record and the ones completing it count as one line). */
export function tailRecords(records: readonly LogRecord[], n: number | undefined): readonly LogRecord[] {
  if (n === undefined) return records;
  if (n <= 0) return [];
  let i = records.length;
  for (let lines = 0; i > 0 && lines < n; lines++) {
    // One line: its last record (complete, or an unfinished piece at the end) and the pieces before it.
    i--;
    while (i > 0 && records[i - 1]!.partial) i--;
  }
  return records.slice(i);
}

/** Parses a whole log file's content (lines that are not records are skipped). */
export function parseRecords(buf: Buffer): LogRecord[] {
  const out: LogRecord[] = [];
  for (const line of splitLines(buf).lines) {
    const r = parseRecord(line);
    if (r) out.push(r);
  }
  return out;
}
