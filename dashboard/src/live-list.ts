import { useEffect, useState } from 'react';
import { ApiFailure, api, authHeaders, collectionPath } from './api.ts';
import type { RayObject } from './logic/kinds.ts';
import { SseParser } from './logic/sse-parse.ts';
import { applyEvent, type Named, type WatchEvent } from './logic/store.ts';

export type LiveStatus = 'loading' | 'live' | 'reconnecting' | 'error';

export interface LiveList<T extends Named = RayObject> {
  readonly items: readonly T[];
  readonly status: LiveStatus;
  /** The last failure (kept while reconnecting). */
  readonly error?: ApiFailure;
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** A ray.io kind of a namespace (all when empty), live; `fieldSelector` narrows it (e.g. to one name). */
export function useLiveList(plural: string, namespace: string, fieldSelector = ''): LiveList {
  return useLiveCollection<RayObject>(
    collectionPath(plural, namespace),
    fieldSelector ? { fieldSelector } : {},
  );
}

/**
 * Lists a collection the API server serves (`path` with the `selectors` as query parameters: a ray.io kind, the
 * pods of a RayCluster, the ray.io events of a namespace), then follows its server-sent-events watch from the
 * list's resourceVersion. When the stream fails or ends it lists again and watches again, backing off from 1 s
 * to 15 s. A caller whom RBAC lets list but not watch gets the list polled every 5 s.
 */
export function useLiveCollection<T extends Named>(
  path: string,
  selectors: Readonly<Record<string, string>>,
): LiveList<T> {
  const [state, setState] = useState<LiveList<T>>({ items: [], status: 'loading' });
  const selectorKey = JSON.stringify(selectors);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `selectorKey` stands for `selectors`
  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    setState({ items: [], status: 'loading' });
    void (async () => {
      let backoff = 1000;
      // A caller who may list but not watch (RBAC) gets the list again every 5 s instead.
      let polling = false;
      while (!signal.aborted) {
        try {
          const q = new URLSearchParams(selectors).toString();
          const list = await api<{ items?: T[]; metadata?: { resourceVersion?: string } }>(
            'GET',
            q ? `${path}?${q}` : path,
            undefined,
            signal,
          );
          let items: readonly T[] = list.items ?? [];
          setState({ items, status: 'live' });
          backoff = 1000;
          if (polling) {
            await sleep(5000, signal);
            continue;
          }
          try {
            await followWatch<T>(path, selectors, list.metadata?.resourceVersion ?? '', signal, (e) => {
              items = applyEvent(items, e);
              setState({ items, status: 'live' });
            });
          } catch (err) {
            if (!(err instanceof ApiFailure && err.status === 403)) throw err;
            polling = true;
            continue;
          }
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

    return () => abort.abort();
  }, [path, selectorKey]);
  return state;
}

/**
 * Reads the API server's server-sent-events watch of `path` (with `selectors`) from `resourceVersion` until it
 * ends (or sends an ERROR, e.g. 410 Gone); throws ApiFailure when it cannot be opened.
 */
export async function followWatch<T extends Named>(
  path: string,
  selectors: Readonly<Record<string, string>>,
  resourceVersion: string,
  signal: AbortSignal,
  onEvent: (e: WatchEvent<T>) => void,
): Promise<void> {
  const q = new URLSearchParams({ ...selectors, watch: 'true', allowWatchBookmarks: 'true' });
  if (resourceVersion) q.set('resourceVersion', resourceVersion);
  const res = await fetch(`${path}?${q}`, {
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
      const e = JSON.parse(m.data) as WatchEvent<T>;
      if (e.type === 'ERROR') return;
      onEvent(e);
    }
  }
}
