import type { IncomingMessage } from 'node:http';
import type { StatusBody } from './api-error.ts';
import type { KubeObject } from './objects.ts';

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; readonly object: T }
  | { readonly type: 'ERROR'; readonly object: StatusBody };

/** Splits a watch response (one JSON object per line) into events, ending when the server closes it. */
export async function* readWatchEvents<T extends KubeObject>(
  res: IncomingMessage,
): AsyncGenerator<WatchEvent<T>> {
  let buffer = '';
  res.setEncoding('utf8');
  try {
    for await (const chunk of res as AsyncIterable<string>) {
      buffer += chunk;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) yield JSON.parse(line) as WatchEvent<T>;
        nl = buffer.indexOf('\n');
      }
    }
    const rest = buffer.trim();
    if (rest) yield JSON.parse(rest) as WatchEvent<T>;
  } finally {
    res.destroy();
  }
}
