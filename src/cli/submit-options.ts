/**
 * `kubectl ray job submit`'s options that KubeRay passes on to `ray job submit`: `--verify` (TLS of an https
 * `--address`), `--log-style` and `--log-color` (how the command's own status lines look; the job's log is
 * printed as Ray returns it).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DirectOptions } from '../ray/transport.ts';
import { CliError } from './errors.ts';

/**
 * `--verify`: empty or true verifies with the system's CAs; false accepts any certificate; anything else is a
 * file of PEM certificates or a directory of them (as `ray job submit --verify` and Python's requests take it).
 */
export function parseVerify(value: string, cwd: string): Pick<DirectOptions, 'ca' | 'rejectUnauthorized'> {
  const v = value.trim();
  if (v === '' || /^(true|1|yes)$/i.test(v)) return {};
  if (/^(false|0|no)$/i.test(v)) return { rejectUnauthorized: false };
  const path = resolve(cwd, v);
  if (!existsSync(path))
    throw new CliError(
      `--verify: ${v} is neither true/false nor an existing file or directory of certificates`,
    );
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /\.(pem|crt|cer)$/i.test(f))
        .map((f) => join(path, f))
    : [path];
  const ca = files.map((f) => readFileSync(f)).filter((b) => b.includes('-----BEGIN CERTIFICATE-----'));
  if (ca.length === 0) throw new CliError(`--verify: no PEM certificate found in ${v}`);
  return { ca };
}

interface LogPresentation {
  /** `record`: each status line starts with a timestamp and level, as Ray's record style. */
  readonly record: boolean;
  /** ANSI colours on the status lines. */
  readonly color: boolean;
}

/**
 * `--log-style auto|record|pretty` and `--log-color auto|false|true`. auto style is pretty (the plain lines,
 * so scripts that read them keep working); auto colour is on for a TTY (and pretty style).
 */
export function logPresentation(style: string, color: string, tty: boolean): LogPresentation {
  const s = style.trim().toLowerCase() || 'auto';
  const c = color.trim().toLowerCase() || 'auto';
  if (!['auto', 'record', 'pretty'].includes(s))
    throw new CliError(`--log-style must be one of auto, record or pretty, got "${style}"`);
  if (!['auto', 'false', 'true'].includes(c))
    throw new CliError(`--log-color must be one of auto, false or true, got "${color}"`);
  const record = s === 'record';
  return { record, color: c === 'true' || (c === 'auto' && tty && !record) };
}

const ansi = { green: '\x1b[32m', red: '\x1b[31m', bold: '\x1b[1m', reset: '\x1b[0m' } as const;

/** A status line as `p` wants it: `ok` colours it green, `bad` red, otherwise bold (only with colour). */
export function statusLine(p: LogPresentation, text: string, tone?: 'ok' | 'bad', now = new Date()): string {
  const painted = p.color
    ? `${tone === 'ok' ? ansi.green : tone === 'bad' ? ansi.red : ansi.bold}${text}${ansi.reset}`
    : text;
  return p.record ? `${now.toISOString()} INFO ${painted}` : painted;
}
