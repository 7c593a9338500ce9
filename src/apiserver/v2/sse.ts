/**
 * Pure helpers of the server-sent-events watch: which paths may be watched, which query parameters reach
 * Kubernetes, and the SSE framing of one Kubernetes watch event.
 */

/** The ray.io kinds the API server watches for a caller (plural resource names, as in the URL). */
const WATCHABLE = ['rayclusters', 'rayjobs', 'rayservices', 'raycronjobs'];

const WATCH_PATH = new RegExp(`^/apis/ray\\.io/v1/(?:namespaces/([^/]+)/)?(${WATCHABLE.join('|')})$`);

/** The namespace (undefined: all namespaces) and plural of a watchable collection path, or undefined. */
export function parseWatchPath(path: string): { namespace: string | undefined; plural: string } | undefined {
  const m = WATCH_PATH.exec(path);
  if (!m) return undefined;
  let namespace: string | undefined;
  try {
    namespace = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
  return { namespace, plural: m[2]! };
}

/** `watch=true` or `watch=1`, as Kubernetes reads it. */
export function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1';
}

/** Whether the client accepts server-sent events. */
export function acceptsEventStream(accept: string | undefined): boolean {
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept ?? '');
}

const PASSED = ['labelSelector', 'fieldSelector', 'resourceVersion', 'allowWatchBookmarks'] as const;

/** The longest server-side timeout of one upstream watch (it is reopened from the last resourceVersion). */
const MAX_UPSTREAM_TIMEOUT_S = 300;

/** The query of the upstream Kubernetes watch: the caller's selectors and resourceVersion, our timeout. */
export function upstreamQuery(
  query: URLSearchParams,
  resourceVersion: string | undefined,
): Record<string, string | boolean | number> {
  const out: Record<string, string | boolean | number> = { watch: true };
  for (const k of PASSED) {
    const v = query.get(k);
    if (v !== null && v !== '') out[k] = v;
  }
  if (resourceVersion !== undefined) out.resourceVersion = resourceVersion;
  const asked = Number(query.get('timeoutSeconds'));
  out.timeoutSeconds =
    Number.isFinite(asked) && asked > 0
      ? Math.min(Math.floor(asked), MAX_UPSTREAM_TIMEOUT_S)
      : MAX_UPSTREAM_TIMEOUT_S;
  return out;
}

/**
 * One SSE message carrying one Kubernetes watch event (`{"type":"ADDED","object":{...}}`, the shape of a
 * Kubernetes watch line) in `data`, with the object's resourceVersion as the message `id`. JSON has no raw
 * newlines, so the data is one line.
 */
export function sseEvent(event: { type: string; object?: unknown }): string {
  const rv = (event.object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata
    ?.resourceVersion;
  const id = typeof rv === 'string' && /^[^\r\n]*$/.test(rv) ? `id: ${rv}\n` : '';
  return `${id}data: ${JSON.stringify(event)}\n\n`;
}

/** An SSE comment line: ignored by clients, keeps proxies and idle timers from closing the stream. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
