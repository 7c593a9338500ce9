import { ApiError } from '../../../src/k8s/api-error.ts';
import { type Condition, describeStatus } from './conditions.ts';
import { WaitConditionError, WaitTimeoutError } from './errors.ts';
import type { NamespaceOption, RayObject, RayWatchEvent, WatchOptions } from './resource-client.ts';

/** Options of every `waitFor`. */
export interface WaitOptions extends NamespaceOption {
  /** Give up after this many milliseconds with a WaitTimeoutError; default 600000 (10 minutes). */
  readonly timeoutMs?: number;
  /** Stop waiting when this aborts; the wait rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What waitForObject needs of a resource client. */
export interface Watchable<T> {
  readonly type: { readonly kind: string };
  readonly namespace: string;
  get(name: string, options?: NamespaceOption): Promise<T>;
  watch(options?: WatchOptions): AsyncIterable<RayWatchEvent<T>>;
}

/** The timeout of a wait when none is given: 10 minutes. */
export const DEFAULT_WAIT_TIMEOUT_MS = 600_000;

/**
 * The wait loop behind every `waitFor`: reads the object, checks `condition`, then follows a watch from the read's resourceVersion and checks every
 * change; re-reads when the watch ends (server timeout, 410 Gone). No polling, no busy loop.
 *
 * @example
 * ```ts
 * const job = await waitForObject(client.jobs, 'pi', jobConditions.succeeded, { timeoutMs: 60_000 });
 * ```
 */
export async function waitForObject<T extends RayObject>(
  client: Watchable<T>,
  name: string,
  condition: Condition<T>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`timeoutMs: must be a positive number of milliseconds, got ${timeoutMs}`);
  const namespace = options.namespace ?? client.namespace;
  const what = `${client.type.kind} ${namespace}/${name}`;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let last: T | undefined;
  const stopped = (): Error => {
    if (options.signal?.aborted) return toError(options.signal.reason);
    return new WaitTimeoutError(
      `timed out after ${timeoutMs} ms waiting for ${what}: ${describeStatus(last)}`,
      last,
    );
  };
  const judge = (obj: T): T | undefined => {
    last = obj;
    const v = condition(obj);
    if (v.done) return obj;
    if (v.never) throw new WaitConditionError(`${what}: ${v.never}`, obj);
    return undefined;
  };
  for (;;) {
    if (signal.aborted) throw stopped();
    let current: T;
    try {
      current = await raceAbort(client.get(name, { namespace }), signal);
    } catch (e) {
      if (signal.aborted) throw stopped();
      throw e;
    }
    const met = judge(current);
    if (met) return met;
    const remainingS = Math.max(1, Math.ceil(timeoutMs / 1000));
    try {
      for await (const ev of client.watch({
        namespace,
        name,
        resourceVersion: current.metadata.resourceVersion,
        timeoutSeconds: Math.min(300, remainingS),
        signal,
      })) {
        if (ev.type === 'DELETED')
          throw new WaitConditionError(`${what} was deleted while waiting`, ev.object);
        const ok = judge(ev.object);
        if (ok) return ok;
      }
    } catch (e) {
      if (signal.aborted) throw stopped();
      if (e instanceof ApiError && (e.isGone() || e.status === 0)) continue;
      throw e;
    }
  }
}

/** Rejects as soon as `signal` aborts, without waiting for `p` (which cannot be cancelled). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
