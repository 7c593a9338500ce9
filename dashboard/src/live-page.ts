import { useEffect, useState } from 'react';
import { ApiFailure, api, collectionPath } from './api.ts';
import { followWatch, type LiveStatus, sleep } from './live-list.ts';
import type { RayObject } from './logic/kinds.ts';
import { applyPageEvent, type LivePage, type PageRange, rangeOf } from './logic/paging.ts';
import { keyOf } from './logic/store.ts';

export interface PageRequest {
  readonly limit: number;
  /** The `continue` token of the page ('' for the first). */
  readonly token: string;
  /** The last key of the previous page ('' for the first). */
  readonly after: string;
  readonly labelSelector: string;
}

export interface LivePageState extends LivePage<RayObject> {
  readonly status: LiveStatus;
  readonly error?: ApiFailure;
  /** The next page's token and where it starts, when Kubernetes has more. */
  readonly next?: { readonly token: string; readonly after: string };
  /** How many objects follow this page (Kubernetes' estimate; absent with a selector). */
  readonly remaining?: number;
}

interface ListBody {
  items?: RayObject[];
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
}

/**
 * One page of a ray.io kind (`limit`, `continue`, `labelSelector` through the API server, as the caller), live:
 * the watch starts at the list's resourceVersion and changes the objects in the page's key range; objects
 * added outside it are counted in `newElsewhere`. On a broken stream the page is listed and watched again
 * (backing off from 1 s to 15 s). `reload` changes on every call of `refresh`.
 */
export function useLivePage(
  plural: string,
  namespace: string,
  request: PageRequest,
  reload: number,
): LivePageState {
  const [state, setState] = useState<LivePageState>({ items: [], newElsewhere: [], status: 'loading' });
  const { limit, token, after, labelSelector } = request;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` asks for a fresh list
  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    const path = collectionPath(plural, namespace);
    const selectors: Record<string, string> = labelSelector ? { labelSelector } : {};
    setState({ items: [], newElsewhere: [], status: 'loading' });
    void (async () => {
      let backoff = 1000;
      // A caller who may list but not watch (RBAC) gets the page listed again every 5 s instead.
      let polling = false;
      while (!signal.aborted) {
        try {
          const q = new URLSearchParams({ ...selectors, limit: String(limit) });
          if (token) q.set('continue', token);
          const list = await api<ListBody>('GET', `${path}?${q}`, undefined, signal);
          const items = list.items ?? [];
          const more = list.metadata?.continue ?? '';
          const range: PageRange = rangeOf(items, after, more !== '');
          const last = items.at(-1);
          let page: LivePage<RayObject> = { items, newElsewhere: [] };
          const fixed = {
            ...(more && last ? { next: { token: more, after: keyOf(last) } } : {}),
            ...(typeof list.metadata?.remainingItemCount === 'number'
              ? { remaining: list.metadata.remainingItemCount }
              : {}),
          };
          setState({ ...page, ...fixed, status: 'live' });
          backoff = 1000;
          if (polling) {
            await sleep(5000, signal);
            continue;
          }
          try {
            await followWatch<RayObject>(
              path,
              selectors,
              list.metadata?.resourceVersion ?? '',
              signal,
              (e) => {
                const changed = applyPageEvent(page, range, e);
                if (changed === page) return;
                page = changed;
                setState({ ...page, ...fixed, status: 'live' });
              },
            );
          } catch (err) {
            if (!(err instanceof ApiFailure && err.status === 403)) throw err;
            polling = true;
            continue;
          }
          if (!signal.aborted) setState((s) => ({ ...s, status: 'reconnecting' }));
        } catch (err) {
          if (signal.aborted) return;
          const failure = err instanceof ApiFailure ? err : new ApiFailure(0, String(err));
          // 410: the continue token is too old (etcd compacted its revision): only the first page helps.
          const final = [400, 401, 403, 404, 410].includes(failure.status);
          setState((s) => ({
            ...s,
            items: final ? [] : s.items,
            status: final ? 'error' : 'reconnecting',
            error: failure,
          }));
          if (final && failure.status !== 403) return;
        }
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, 15_000);
      }
    })();
    return () => abort.abort();
  }, [plural, namespace, limit, token, after, labelSelector, reload]);
  return state;
}
