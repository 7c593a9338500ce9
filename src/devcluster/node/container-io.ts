import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { encodeRecord, LineSplitter, type LogStream } from './cri-log.ts';

/** Receives a running container's output as it comes (for `attach`). */
type OutputListener = (stream: LogStream, chunk: Buffer) => void;

/** The wall clock in nanoseconds (microsecond resolution), for log records. */
export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/**
 * The I/O of one run of a container's main process: its stdout and stderr go to the log file as CRI records
 * (a time per line) and to whoever is attached; its stdin and terminal-size pipe exist when the container
 * asked for them (`stdin: true`, `tty: true`).
 */
export class ContainerIO {
  readonly tty: boolean;
  readonly stdinOnce: boolean;
  readonly stdin: Writable | undefined;
  /** Terminal size messages (`{"Width":W,"Height":H}`) for a `tty: true` container's pty. */
  readonly resize: Writable | undefined;
  readonly #fd: number;
  readonly #listeners = new Set<OutputListener>();
  readonly #endListeners = new Set<() => void>();
  readonly #splitters: Record<LogStream, LineSplitter>;
  #open = 0;
  #ended = false;
  #stdinClosed = false;

  constructor(o: {
    logFile: string;
    stdout: Readable | null;
    stderr: Readable | null;
    stdin?: Writable | null;
    resize?: Writable | null;
    tty: boolean;
    stdinOnce: boolean;
    now?: () => bigint;
  }) {
    mkdirSync(dirname(o.logFile), { recursive: true });
    this.#fd = openSync(o.logFile, 'a');
    this.tty = o.tty;
    this.stdinOnce = o.stdinOnce;
    this.stdin = o.stdin ?? undefined;
    this.resize = o.resize ?? undefined;
    this.stdin?.on('error', () => {});
    this.resize?.on('error', () => {});
    const now = o.now ?? nowNs;
    const splitter = (stream: LogStream) =>
      new LineSplitter((partial, text) => {
        if (this.#ended) return;
        try {
          writeSync(this.#fd, encodeRecord(now(), stream, partial, text));
        } catch {
          // disk full or the pod's files removed: the output still reaches attached clients
        }
      });
    this.#splitters = { stdout: splitter('stdout'), stderr: splitter('stderr') };
    for (const [stream, src] of [
      ['stdout', o.stdout],
      ['stderr', o.stderr],
    ] as const) {
      if (!src) continue;
      this.#open++;
      src.on('data', (d: Buffer) => this.#feed(stream, d));
      src.once('close', () => {
        this.#splitters[stream].flush();
        if (--this.#open === 0) this.end();
      });
      src.on('error', () => {});
    }
    if (this.#open === 0) this.end();
  }

  /** True once both output pipes are closed (or end() was called). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Follows the output from now on (as a kubelet's attach does: no replay); returns the unsubscribe. */
  subscribe(listener: OutputListener, onEnd: () => void): () => void {
    if (this.#ended) {
      queueMicrotask(onEnd);
      return () => {};
    }
    this.#listeners.add(listener);
    this.#endListeners.add(onEnd);
    return () => {
      this.#listeners.delete(listener);
      this.#endListeners.delete(onEnd);
    };
  }

  /** An attached client's stdin ended: with `stdinOnce` the container's stdin closes for good. */
  detachStdin(): void {
    if (this.stdinOnce && this.stdin && !this.#stdinClosed) {
      this.#stdinClosed = true;
      this.stdin.end();
    }
  }

  /** Writes to the container's stdin (nothing when it has none or it was closed). */
  write(d: Buffer): void {
    if (this.stdin && !this.#stdinClosed && !this.stdin.destroyed) this.stdin.write(d);
  }

  /** Flushes unfinished lines, closes the log file, and ends every attach. */
  end(): void {
    if (this.#ended) return;
    this.#splitters.stdout.flush();
    this.#splitters.stderr.flush();
    this.#ended = true;
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
    this.stdin?.destroy();
    this.resize?.destroy();
    for (const f of this.#endListeners) f();
    this.#listeners.clear();
    this.#endListeners.clear();
  }

  #feed(stream: LogStream, d: Buffer): void {
    this.#splitters[stream].push(d);
    for (const l of this.#listeners) l(stream, d);
  }
}
