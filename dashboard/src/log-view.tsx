import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import './forms.css';
import { ApiFailure, api, authHeaders } from './api.ts';
import { Failure } from './components.tsx';
import { errorText } from './logic/format.ts';
import { appendLog, EMPTY_LOG, type LogState, logText, replaceLog } from './logic/logs.ts';

export type LogStatus = 'loading' | 'following' | 'ended' | 'error';

export interface LiveLog {
  readonly log: LogState;
  readonly status: LogStatus;
  readonly error?: ApiFailure;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** A pod's log, followed: the API server streams it (`follow=true`) until the container ends. */
export function usePodLog(path: string | undefined): LiveLog {
  const [state, setState] = useState<LiveLog>({ log: EMPTY_LOG, status: 'loading' });
  useEffect(() => {
    if (!path) return;
    const abort = new AbortController();
    setState({ log: EMPTY_LOG, status: 'loading' });
    void (async () => {
      try {
        const res = await fetch(path, { headers: authHeaders(), signal: abort.signal });
        if (!res.ok) {
          const text = await res.text();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // keep the text
          }
          setState({
            log: EMPTY_LOG,
            status: 'error',
            error: new ApiFailure(res.status, errorText(res.status, body)),
          });
          return;
        }
        setState((s) => ({ ...s, status: 'following' }));
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const chunk = decoder.decode(value, { stream: true });
          setState((s) => ({ ...s, log: appendLog(s.log, chunk) }));
        }
        setState((s) => ({ ...s, status: 'ended' }));
      } catch (err) {
        if (abort.signal.aborted) return;
        setState((s) => ({
          ...s,
          status: 'error',
          error: new ApiFailure(
            0,
            `the log stream broke: ${err instanceof Error ? err.message : String(err)}`,
          ),
        }));
      }
    })();
    return () => abort.abort();
  }, [path]);
  return state;
}

/**
 * A Ray job's log, read again every 2 s while the job runs (Ray's job API answers the whole log; only the new
 * part is appended), once more when it has ended, then no more.
 */
export function useJobLog(read: (() => Promise<string>) | undefined, ended: boolean, key: string): LiveLog {
  const [state, setState] = useState<LiveLog>({ log: EMPTY_LOG, status: 'loading' });
  const endedRef = useRef(ended);
  endedRef.current = ended;
  const readRef = useRef(read);
  readRef.current = read;
  // biome-ignore lint/correctness/useExhaustiveDependencies: one poller per job (`key`); the latest `read` and `ended` are read through refs
  useEffect(() => {
    if (!readRef.current) return;
    const abort = new AbortController();
    setState({ log: EMPTY_LOG, status: 'loading' });
    let previous = '';
    void (async () => {
      for (;;) {
        const last = endedRef.current;
        try {
          const text = (await readRef.current?.()) ?? '';
          if (abort.signal.aborted) return;
          const before = previous;
          previous = text;
          setState((s) => ({
            log: replaceLog(s.log, before, text),
            status: last ? 'ended' : 'following',
          }));
        } catch (err) {
          if (abort.signal.aborted) return;
          setState((s) => ({
            ...s,
            status: last ? 'error' : s.status,
            error: err instanceof ApiFailure ? err : new ApiFailure(0, String(err)),
          }));
        }
        if (last) return;
        await sleep(2000, abort.signal);
        if (abort.signal.aborted) return;
      }
    })();
    return () => abort.abort();
  }, [key]);
  return state;
}

/** A log in a scrollable, focusable box that stays at the bottom while the user has not scrolled up. */
export function LogView(props: { live: LiveLog; label: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);
  const text = logText(props.live.log);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the text changes
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  const statusText = {
    loading: 'loading…',
    following: 'following',
    ended: 'ended',
    error: 'stopped',
  }[props.live.status];
  return (
    <div className="log-box">
      <div className="log-head">
        <span>{props.label}</span>
        <span className={`live log-${props.live.status}`} data-testid="log-status">
          ● {statusText}
        </span>
      </div>
      <Failure error={props.live.error} what="Log" />
      <pre
        ref={ref}
        className="log"
        role="log"
        aria-label={props.label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
        tabIndex={0}
        data-testid="log"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {text || (props.live.status === 'loading' ? '' : '(no output yet)')}
      </pre>
    </div>
  );
}

/** A Ray job log from a GET that answers JSON (`{log}` of the V1 route, `{logs}` of Ray's own API). */
export function jsonLogReader(path: string, field: 'log' | 'logs'): () => Promise<string> {
  return async () => {
    const out = await api<Record<string, unknown>>('GET', path);
    const v = out[field];
    return typeof v === 'string' ? v : '';
  };
}
