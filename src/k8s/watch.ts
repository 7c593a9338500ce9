import type { IncomingMessage } from 'node:http';
import { ApiError, type StatusBody } from './api-error.ts';
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

const MANAGED_FIELDS_KEY = '"managedFields":[';
const METADATA_KEY = '"metadata":';
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

/**
 * One watch event's JSON text without `object.metadata.managedFields`, cut as text before it is parsed. They are
 * a third to a half of a pod's JSON (one entry per writer: the operator, the scheduler, the kubelet), and no
 * controller reads them, so parsing them only to throw them away cost a good part of the operator's CPU in a
 * scale-up. The cut is exact or nothing: the key is taken only where it sits directly in the event's object's
 * metadata (found by counting brackets outside strings from the start of the line), and the text is returned
 * unchanged when the key is anywhere else, absent, or its value is cut short (JSON.parse then reports the line).
 */
export function withoutManagedFields(line: string): string {
  const at = line.indexOf(MANAGED_FIELDS_KEY);
  if (at < 0) return line;
  const open = openerAt(line, at);
  if (open < 0 || line.charCodeAt(open) !== 123) return line;
  if (line.lastIndexOf(METADATA_KEY, open) !== open - METADATA_KEY.length) return line;
  const end = endOfValue(line, at + MANAGED_FIELDS_KEY.length - 1);
  if (end < 0) return line;
  if (line.charCodeAt(end) === COMMA) return line.slice(0, at) + line.slice(end + 1);
  if (line.charCodeAt(at - 1) === COMMA) return line.slice(0, at - 1) + line.slice(end);
  return line.slice(0, at) + line.slice(end);
}

/** The index just after the string whose opening quote is at `i` (-1 when it never closes). */
function afterString(s: string, i: number): number {
  for (let q = s.indexOf('"', i + 1); q >= 0; q = s.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (s.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
  }
  return -1;
}

/**
 * Where the object or array that directly holds position `at` opened, if that is the third level of the line
 * (event, its object, the object's metadata); -1 otherwise.
 */
function openerAt(s: string, at: number): number {
  const opened: number[] = [];
  for (let j = 0; j < at; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) {
      j = afterString(s, j) - 1;
      if (j < 0) return -1;
    } else if (c === 123 || c === 91) opened.push(j);
    else if (c === 125 || c === 93) opened.pop();
  }
  return opened.length === 3 ? (opened[2] as number) : -1;
}

/** The index just after the array or object that opens at `i` (-1 when it never closes). */
function endOfValue(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === QUOTE) {
      j = afterString(s, j) - 1;
      if (j < 0) return -1;
    } else if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0) return j + 1;
  }
  return -1;
}
