/** Log text for display, pure: ANSI colours removed, split into lines, the oldest dropped past a limit. */

/** Terminal escape sequences (colours, cursor moves) that Ray and Python write into logs. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export interface LogState {
  /** Complete lines, oldest first. */
  readonly lines: readonly string[];
  /** Text after the last newline (a line still being written). */
  readonly partial: string;
  /** How many lines were dropped from the front to stay under the limit. */
  readonly dropped: number;
}

export const EMPTY_LOG: LogState = { lines: [], partial: '', dropped: 0 };

/** Lines kept in the page by default; older ones are dropped (the count is shown). */
export const MAX_LOG_LINES = 5000;

/** Appends a chunk of a streamed log (it may end in the middle of a line). */
export function appendLog(state: LogState, chunk: string, max = MAX_LOG_LINES): LogState {
  if (!chunk) return state;
  const parts = stripAnsi(state.partial + chunk.replace(/\r\n/g, '\n')).split('\n');
  const partial = parts.pop() ?? '';
  const lines = [...state.lines, ...parts.map((l) => l.replace(/\r$/, ''))];
  const over = Math.max(0, lines.length - max);
  return { lines: over ? lines.slice(over) : lines, partial, dropped: state.dropped + over };
}

/**
 * The state after reading a whole log again (a polled job log): when the new text continues the previous one
 * only the new part is appended, otherwise (a restarted job, a trimmed log) it replaces everything.
 */
export function replaceLog(
  state: LogState,
  previousText: string,
  text: string,
  max = MAX_LOG_LINES,
): LogState {
  if (previousText && text.startsWith(previousText))
    return appendLog(state, text.slice(previousText.length), max);
  return appendLog(EMPTY_LOG, text, max);
}

/** The text shown: a note about dropped lines, the lines and the line being written. */
export function logText(state: LogState): string {
  const head = state.dropped ? [`… ${state.dropped} earlier lines not shown`] : [];
  const all = [...head, ...state.lines, ...(state.partial ? [state.partial] : [])];
  return all.join('\n');
}

/** The pod log route of the API server (V2, as the caller), with its query. */
export function podLogPath(
  namespace: string,
  pod: string,
  opts: { container?: string; tailLines?: number; follow?: boolean },
): string {
  const q = new URLSearchParams();
  if (opts.container) q.set('container', opts.container);
  if (opts.tailLines !== undefined) q.set('tailLines', String(opts.tailLines));
  if (opts.follow) q.set('follow', 'true');
  const qs = q.toString();
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log${qs ? `?${qs}` : ''}`;
}
