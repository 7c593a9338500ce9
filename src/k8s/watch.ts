import type { IncomingMessage } from 'node:http';
import { ApiError, type StatusBody } from './api-error.ts';
import { withoutManagedFields } from './managed-fields.ts';
import type { KubeObject } from './objects.ts';

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; readonly object: T }
  | { readonly type: 'ERROR'; readonly object: StatusBody };

interface ReadWatchOptions {
  /**
   * Cut `object.metadata.managedFields` out of each event's text before it is parsed (see
   * `withoutManagedFields`). For readers that would drop them anyway, such as the informers.
   */
  readonly dropManagedFields?: boolean;
  /**
   * From the first bytes on (a watch's first event or bookmark), end with an ApiError (status 0, "timed out")
   * once nothing more has arrived for this long. Before the first bytes no such limit applies.
   */
  readonly idleTimeoutMs?: number | undefined;
  /** The watch's path, for that error. */
  readonly path?: string;
}

/** Splits a watch response (one JSON object per line) into events, ending when the server closes it. */
export async function* readWatchEvents<T extends KubeObject>(
  res: IncomingMessage,
  options: ReadWatchOptions = {},
): AsyncGenerator<WatchEvent<T>> {
  const parse = options.dropManagedFields
    ? (line: string) => JSON.parse(withoutManagedFields(line)) as WatchEvent<T>
    : (line: string) => JSON.parse(line) as WatchEvent<T>;
  let buffer = '';
  const idleMs = options.idleTimeoutMs;
  let idle: NodeJS.Timeout | undefined;
  res.setEncoding('utf8');
  try {
    for await (const chunk of res as AsyncIterable<string>) {
      if (idleMs) {
        if (idle) idle.refresh();
        else idle = silenceTimer(res, idleMs, options.path ?? '');
      }
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield parse(line);
        nl = buffer.indexOf('\n');
      }
    }
    const rest = buffer.trim();
    if (rest) yield parse(rest);
  } finally {
    clearTimeout(idle);
    res.destroy();
  }
}

/** Ends `res` with a timeout error after `ms` without a chunk (the caller refreshes it on each one). */
function silenceTimer(res: IncomingMessage, ms: number, path: string): NodeJS.Timeout {
  const timer = setTimeout(() => {
    res.destroy(
      new ApiError('WATCH', path, 0, { message: `watch timed out: silent for ${ms}ms after an event` }),
    );
  }, ms);
  timer.unref();
  return timer;
}
