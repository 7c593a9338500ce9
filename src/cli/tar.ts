/**
 * A streaming reader of the tar archives GNU tar writes (ustar + GNU long names + pax `path`), enough to
 * unpack `tar -cf - -C /tmp/ray/session_latest/logs .` from a pod. Entries that would land outside the target
 * directory are refused. Pure parsing; the caller writes the files.
 */
import { CliError } from './errors.ts';

interface TarEntry {
  readonly path: string;
  readonly type: 'file' | 'dir' | 'other';
  readonly mode: number;
  readonly data: Buffer;
}

const octal = (b: Buffer) => {
  const s = b.toString('ascii').replace(/\0.*$/s, '').trim();
  return s ? Number.parseInt(s, 8) : 0;
};
const text = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');

/** A relative, normalized path; CliError for absolute paths or `..` escapes. */
export function safePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') throw new CliError(`refusing tar entry outside the target directory: ${p}`);
    parts.push(seg);
  }
  return parts.join('/');
}

/** Incremental parser: `push` bytes as they arrive, entries come out complete. */
export class TarReader {
  #buf: Buffer = Buffer.alloc(0);
  #longName: string | undefined;
  #paxPath: string | undefined;
  #ended = false;

  push(chunk: Buffer): TarEntry[] {
    if (this.#ended) return [];
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    const out: TarEntry[] = [];
    while (this.#buf.length >= 512) {
      const h = this.#buf.subarray(0, 512);
      if (h.every((x) => x === 0)) {
        this.#ended = true;
        break;
      }
      const size = octal(h.subarray(124, 136));
      const total = 512 + Math.ceil(size / 512) * 512;
      if (this.#buf.length < total) break;
      const data = Buffer.from(this.#buf.subarray(512, 512 + size));
      this.#buf = this.#buf.subarray(total);
      const flag = String.fromCharCode(h[156]!);
      if (flag === 'L') {
        this.#longName = text(data);
        continue;
      }
      if (flag === 'x') {
        const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
        if (m) this.#paxPath = m[1];
        continue;
      }
      if (flag === 'g') continue;
      const magic = h.subarray(257, 263).toString('ascii');
      const prefix = magic.startsWith('ustar') ? text(h.subarray(345, 500)) : '';
      const name =
        this.#paxPath ??
        this.#longName ??
        (prefix ? `${prefix}/${text(h.subarray(0, 100))}` : text(h.subarray(0, 100)));
      this.#paxPath = undefined;
      this.#longName = undefined;
      const type = flag === '0' || flag === '\0' || flag === '7' ? 'file' : flag === '5' ? 'dir' : 'other';
      out.push({ path: safePath(name), type, mode: octal(h.subarray(100, 108)) & 0o777, data });
    }
    return out;
  }
}
