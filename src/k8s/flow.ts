import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The "flow" a request belongs to: the work item (e.g. one RayCluster's reconcile) on whose behalf the client
 * sends it. The client's rate limiter shares its tokens fairly between flows, so one cluster's scale-up of a
 * thousand pods does not make every other cluster's requests wait behind it. Requests sent outside any flow
 * (informers' lists and watches, start-up checks) share the unnamed flow.
 */
const flows = new AsyncLocalStorage<string>();

/** Runs `fn` with every request it sends (directly or through awaited calls) counted in flow `id`. */
export function withFlow<T>(id: string, fn: () => T): T {
  return flows.run(id, fn);
}

/** The flow of the calling async context; '' outside any. */
export function currentFlow(): string {
  return flows.getStore() ?? '';
}
