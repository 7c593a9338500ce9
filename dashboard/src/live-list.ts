import { useEffect, useState } from 'react';
import { ApiFailure, api, authHeaders, collectionPath } from './api.ts';
import type { RayObject } from './logic/kinds.ts';
import { SseParser } from './logic/sse-parse.ts';
import { applyEvent, type WatchEvent } from './logic/store.ts';

export type LiveStatus = 'loading' | 'live' | 'reconnecting' | 'error';

export interface LiveList {
  readonly items: readonly RayObject[];
  readonly status: LiveStatus;
  /** The last failure (kept while reconnecting). */
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

/**
 * Lists a ray.io kind, then follows the API server's server-sent-events watch from the list's resourceVersion.
 * When the stream fails or ends it lists again and watches again, backing off from 1 s to 15 s.
 */
export function useLiveList(plural: string, namespace: string, fieldSelector = ''): LiveList {
  const [state, setState] = useState<LiveList>({ items: [], status: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    setState({ items: [], status: 'loading' });
    void (async () => {
      let backoff = 1000;
      while (!signal.aborted) {
        try {
          const q = fieldSelector ? `?fieldSelector=${encodeURIComponent(fieldSelector)}` : '';
          const list = await api<{ items?: RayObject[]; metadata?: { resourceVersion?: string } }>(
            'GET',
            `${collectionPath(plural, namespace)}${q}`,
            undefined,
            signal,
          );
          let items: readonly RayObject[] = list.items ?? [];
          setState({ items, status: 'live' });
          backoff = 1000;
          await follow(list.metadata?.resourceVersion ?? '', (e) => {
            items = applyEvent(items, e);
            setState({ items, status: 'live' });
          });
          if (!signal.aborted) setState((s) => ({ ...s, status: 'reconnecting' }));
        } catch (err) {
          if (signal.aborted) return;
          const failure = err instanceof ApiFailure ? err : new ApiFailure(0, String(err));
          const denied = failure.status === 401 || failure.status === 403 || failure.status === 404;
          setState((s) => ({
            items: denied ? [] : s.items,
            status: denied ? 'error' : 'reconnecting',
            error: failure,
          }));
          if (failure.status === 401) return;
        }
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 15_000);
      }
    })();

    /** Reads the watch until it ends; throws ApiFailure when it cannot be opened. */
    async function follow(resourceVersion: string, onEvent: (e: WatchEvent) => void): Promise<void> {
      const q = new URLSearchParams({ watch: 'true', allowWatchBookmarks: 'true' });
      if (resourceVersion) q.set('resourceVersion', resourceVersion);
      if (fieldSelector) q.set('fieldSelector', fieldSelector);
      const res = await fetch(`${collectionPath(plural, namespace)}?${q}`, {
        headers: { Accept: 'text/event-stream', ...authHeaders() },
        signal,
      });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => ({}));
        throw new ApiFailure(res.status, (body as { message?: string }).message ?? `HTTP ${res.status}`);
      }
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const m of parser.push(decoder.decode(value, { stream: true }))) {
          const e = JSON.parse(m.data) as WatchEvent;
          if (e.type === 'ERROR') return;
          onEvent(e);
        }
      }
    }
    return () => abort.abort();
  }, [plural, namespace, fieldSelector]);
  return state;
}
