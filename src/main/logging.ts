import type { OperatorConfig } from '../config/config.ts';
import { createLogger, type Logger, teeLogger } from '../lib/logger.ts';
import { RotatingFile, type RotatingFileOptions } from '../runtime/rotating-file.ts';

interface OperatorLogging {
  /** The root logger: every other logger of the process is a child of it. */
  readonly logger: Logger;
  /** Flushes and closes the log file (if any); call once, before the process exits. */
  close(): Promise<void>;
}

/**
 * The operator's logging: stdout, and also --log-file-path when set, each with its own encoder. The file has
 * one asynchronous rotating writer for the whole process (children share it), so lines stay in order and the
 * size that decides rotation is counted once.
 */
export function operatorLogging(
  logging: OperatorConfig['logging'],
  stdout: (line: string) => void,
  fileOptions: RotatingFileOptions = {},
): OperatorLogging {
  const { level, stdoutEncoder, fileEncoder, file } = logging;
  const out = createLogger({ level, format: stdoutEncoder, write: stdout });
  if (!file) return { logger: out, close: async () => {} };
  const sink = new RotatingFile(file, fileOptions);
  const toFile = createLogger({ level, format: fileEncoder, write: (l) => sink.write(l) });
  return { logger: teeLogger(out, toFile), close: () => sink.close() };
}
