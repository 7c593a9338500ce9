import { appendFileSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface RotatingFileOptions {
  /** Rotate when the file would grow past this; default 500 MB (KubeRay's lumberjack setting). */
  readonly maxBytes?: number;
  /** Rotated files kept; default 10. */
  readonly maxBackups?: number;
  /** Rotated files older than this are removed; default 30 days. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * A log sink that appends lines to `path` and rotates it like lumberjack: the full file is renamed to
 * `<name>-<YYYY-MM-DDTHH-MM-SS.mmm><ext>` and old backups beyond the count or age limits are deleted.
 */
export function rotatingFileWriter(path: string, options: RotatingFileOptions = {}): (line: string) => void {
  const maxBytes = options.maxBytes ?? 500 * 1024 * 1024;
  const maxBackups = options.maxBackups ?? 10;
  const maxAgeMs = options.maxAgeMs ?? 30 * 24 * 3600 * 1000;
  const now = options.now ?? Date.now;
  const dir = dirname(path);
  const ext = extname(path);
  const stem = basename(path, ext);
  mkdirSync(dir, { recursive: true });
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // A new file.
  }
  const prune = () => {
    const backups = readdirSync(dir)
      .filter((f) => f.startsWith(`${stem}-`) && f.endsWith(ext) && f !== basename(path))
      .sort()
      .reverse();
    backups.forEach((f, i) => {
      const p = join(dir, f);
      if (i >= maxBackups || now() - statSync(p).mtimeMs > maxAgeMs) unlinkSync(p);
    });
  };
  return (line: string) => {
    const data = `${line}\n`;
    const bytes = Buffer.byteLength(data);
    if (size > 0 && size + bytes > maxBytes) {
      const stamp = new Date(now()).toISOString().replace(/:/g, '-').replace(/Z$/, '');
      renameSync(path, join(dir, `${stem}-${stamp}${ext}`));
      size = 0;
      prune();
    }
    appendFileSync(path, data);
    size += bytes;
  };
}
