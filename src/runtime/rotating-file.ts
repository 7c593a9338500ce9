import { mkdirSync, statSync } from 'node:fs';
import { type FileHandle, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

export interface RotatingFileOptions {
  /** Rotate when the file would grow past this; default 500 MB (KubeRay's lumberjack setting). */
  readonly maxBytes?: number;
  /** Rotated files kept; default 10. */
  readonly maxBackups?: number;
  /** Rotated files older than this are removed; default 30 days. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
  /** Called when a write or a rotation fails (the lines of that batch are lost); default: ignored. */
  readonly onError?: (err: unknown) => void;
}

/**
 * A log sink that appends lines to `path` and rotates it like lumberjack: the full file is renamed to
 * `<name>-<YYYY-MM-DDTHH-MM-SS.mmm><ext>` and old backups beyond the count or age limits are deleted.
 *
 * `write` never blocks: lines are queued and written in order, in batches, by one asynchronous loop through
 * one open file handle. `flush()` waits until everything queued is written; `close()` flushes and closes the
 * file (lines written after close are dropped). One process should hold one RotatingFile per path: the size
 * that decides rotation is counted here.
 */
export class RotatingFile {
  readonly path: string;
  readonly #maxBytes: number;
  readonly #maxBackups: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #onError: (err: unknown) => void;
  readonly #dir: string;
  readonly #ext: string;
  readonly #stem: string;
  #size = 0;
  #fh: FileHandle | undefined;
  /** Queued lines with the time they were written (a rotation is stamped with the time of its line). */
  #pending: { data: string; at: number }[] = [];
  #draining: Promise<void> | undefined;
  #closed = false;

  constructor(path: string, options: RotatingFileOptions = {}) {
    this.path = path;
    this.#maxBytes = options.maxBytes ?? 500 * 1024 * 1024;
    this.#maxBackups = options.maxBackups ?? 10;
    this.#maxAgeMs = options.maxAgeMs ?? 30 * 24 * 3600 * 1000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
    this.#dir = dirname(path);
    this.#ext = extname(path);
    this.#stem = basename(path, this.#ext);
    mkdirSync(this.#dir, { recursive: true });
    try {
      this.#size = statSync(path).size;
    } catch {
      // A new file.
    }
  }

  /** Queues one line (a newline is added). */
  write(line: string): void {
    if (this.#closed) return;
    this.#pending.push({ data: `${line}\n`, at: this.#now() });
    this.#kick();
  }

  /** Resolves once every line queued so far is in the file. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Flushes, then closes the file. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    await this.#fh?.close();
    this.#fh = undefined;
  }

  #kick(): void {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
      if (this.#pending.length > 0) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const lines = this.#pending;
      this.#pending = [];
      try {
        await this.#writeLines(lines);
      } catch (err) {
        this.#onError(err);
      }
    }
  }

  /** Writes lines in as few calls as possible, rotating before a line that would pass the size limit. */
  async #writeLines(lines: readonly { data: string; at: number }[]): Promise<void> {
    let chunk = '';
    let chunkBytes = 0;
    for (const { data, at } of lines) {
      const bytes = Buffer.byteLength(data);
      const size = this.#size + chunkBytes;
      if (size > 0 && size + bytes > this.#maxBytes) {
        await this.#append(chunk, chunkBytes);
        chunk = '';
        chunkBytes = 0;
        await this.#rotate(at);
      }
      chunk += data;
      chunkBytes += bytes;
    }
    await this.#append(chunk, chunkBytes);
  }

  async #append(chunk: string, bytes: number): Promise<void> {
    if (bytes === 0) return;
    this.#fh ??= await open(this.path, 'a');
    await this.#fh.write(chunk);
    this.#size += bytes;
  }

  async #rotate(at: number): Promise<void> {
    await this.#fh?.close();
    this.#fh = undefined;
    const stamp = new Date(at).toISOString().replace(/:/g, '-').replace(/Z$/, '');
    await rename(this.path, join(this.#dir, `${this.#stem}-${stamp}${this.#ext}`));
    this.#size = 0;
    const backups = (await readdir(this.#dir))
      .filter((f) => f.startsWith(`${this.#stem}-`) && f.endsWith(this.#ext) && f !== basename(this.path))
      .sort()
      .reverse();
    for (const [i, f] of backups.entries()) {
      const p = join(this.#dir, f);
      if (i >= this.#maxBackups || at - (await stat(p)).mtimeMs > this.#maxAgeMs) await unlink(p);
    }
  }
}
