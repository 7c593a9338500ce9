/**
 * Structured logger: JSON lines by default, a human-readable console format on request.
 * Messages are fixed strings; variable data goes in fields.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

type Fields = Readonly<Record<string, unknown>>;
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

interface LoggerOptions {
  /** Minimum level written; default 'info'. */
  readonly level?: Level;
  /** 'json' (default) or 'console'. */
  readonly format?: 'json' | 'console';
  /** Where lines go; default process.stderr. */
  readonly write?: (line: string) => void;
  /** Time source for the `ts` field; default Date.now. */
  readonly now?: () => number;
}

export function createLogger(options: LoggerOptions = {}, base: Fields = {}): Logger {
  const min = order[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const format = options.format ?? 'json';
  const emit = (level: Level, msg: string, fields?: Fields) => {
    if (order[level] < min) return;
    const all: Record<string, unknown> = { ...base, ...fields };
    for (const [k, v] of Object.entries(all)) if (v instanceof Error) all[k] = v.message;
    const ts = new Date(now()).toISOString();
    if (format === 'json') {
      write(JSON.stringify({ ts, level, msg, ...all }));
    } else {
      const rest = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      write(`${ts} ${level.toUpperCase().padEnd(5)} ${msg}${rest ? ` ${rest}` : ''}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

/** A logger that writes every line to each of `loggers` (each with its own level and format). */
export function teeLogger(...loggers: readonly Logger[]): Logger {
  const each =
    (level: Level) =>
    (msg: string, fields?: Fields): void => {
      for (const l of loggers) l[level](msg, fields);
    };
  return {
    debug: each('debug'),
    info: each('info'),
    warn: each('warn'),
    error: each('error'),
    child: (fields) => teeLogger(...loggers.map((l) => l.child(fields))),
  };
}

/** A logger that drops everything (for tests that do not read logs). */
export const nullLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => nullLogger,
};
