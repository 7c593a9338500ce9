/** How many times a request answered "retry after" is sent again before its answer is returned (client-go's 10). */
export const MAX_RETRY_AFTER = 10;

/**
 * The wait before sending a request again, as client-go decides it: only a 429 (API Priority and Fairness
 * turned it away, or a CRD's storage is not ready yet) or a 5xx that carries a `Retry-After` header of whole
 * seconds is retried; anything else is the caller's answer. The server's value is kept (client-go does not
 * shorten it) but capped at a minute, so a wrong header cannot park a reconcile for long.
 */
export function retryAfterMs(status: number, header: string | string[] | undefined): number | undefined {
  if (status !== 429 && status < 500) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Math.min(Number(value), 60) * 1000;
}
