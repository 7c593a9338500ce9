import { ApiError } from '../../k8s/api-error.ts';
import { readWatchEvents } from '../../k8s/watch.ts';
import { errorMessage } from '../../lib/errors.ts';
import type { RequestContext } from '../http/server.ts';
import { passOnRefusal, writeStatus as status } from './k8s-status.ts';
import { acceptsEventStream, parseWatchPath, sseComment, sseEvent, upstreamQuery } from './sse.ts';
import { startStream } from './stream-head.ts';

export interface SseWatchOptions {
  /** Interval of the `: heartbeat` comments; default 15 s. */
  readonly heartbeatMs?: number;
}

function failure(code: number, reason: string, message: string) {
  return {
    type: 'ERROR',
    object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code },
  };
}

/**
 * `GET /apis/ray.io/v1/[namespaces/{ns}/]{rayclusters|rayjobs|rayservices|raycronjobs}?watch=true` with
 * `Accept: text/event-stream`: a Kubernetes watch made as the caller (so RBAC's `watch` verb decides; a refusal
 * is the Kubernetes Status with its code before any event), streamed as server-sent events, one Kubernetes
 * watch event per message. The upstream watch is reopened from the last resourceVersion when Kubernetes ends it;
 * an ERROR event (410 Gone: relist) ends the stream. Heartbeat comments keep it alive; a client that goes away
 * stops the upstream watch.
 */
export async function sseWatch(
  ctx: RequestContext,
  options: SseWatchOptions = {},
  extra?: {
    /** The collection when the path is not a ray.io one (the route has checked it: pods of a RayCluster, events). */
    readonly target: { namespace: string | undefined; plural: string };
    /** Which ADDED/MODIFIED/DELETED events reach the caller (ERROR and BOOKMARK always do). */
    readonly keep?: (event: { type: string; object: unknown }) => boolean;
  },
): Promise<undefined> {
  const { req, res } = ctx;
  const path = ctx.params.path!;
  if ((req.method ?? 'GET') !== 'GET') return status(res, 405, 'MethodNotAllowed', 'watch is a GET');
  const target = extra?.target ?? parseWatchPath(path);
  if (!target)
    return status(
      res,
      400,
      'BadRequest',
      'watch is served for collections only: /apis/ray.io/v1/[namespaces/{namespace}/]{rayclusters|rayjobs|rayservices|raycronjobs}?watch=true',
    );
  if (!acceptsEventStream(req.headers.accept))
    return status(
      res,
      406,
      'NotAcceptable',
      'watch through the API server is served as server-sent events: send "Accept: text/event-stream"',
    );
  let resourceVersion = ctx.query.get('resourceVersion') ?? undefined;
  const open = () => {
    const query = upstreamQuery(ctx.query, resourceVersion);
    return ctx.kube.rest.stream(path, {
      query,
      signal: ctx.signal,
      // Kubernetes ends the watch after timeoutSeconds; silence for a minute longer means a dead connection.
      timeoutMs: (Number(query.timeoutSeconds) + 60) * 1000,
    });
  };
  let upstream: Awaited<ReturnType<typeof open>>;
  try {
    upstream = await open();
  } catch (err) {
    return passOnRefusal(res, err);
  }
  startStream(res, 'text/event-stream; charset=utf-8', true);
  res.write(sseComment(`watching ${target.plural}${target.namespace ? ` in ${target.namespace}` : ''}`));
  const heartbeat = setInterval(() => {
    if (!res.destroyed) res.write(sseComment('heartbeat'));
  }, options.heartbeatMs ?? 15_000);
  try {
    for (;;) {
      let ended = false;
      for await (const event of readWatchEvents(upstream)) {
        const passed =
          event.type === 'ERROR' || event.type === 'BOOKMARK' || !extra?.keep || extra.keep(event);
        if (passed) res.write(sseEvent(event));
        if (event.type === 'ERROR') {
          ended = true;
          break;
        }
        const rv = event.object.metadata?.resourceVersion;
        if (rv) resourceVersion = rv;
      }
      if (ended || ctx.signal.aborted || res.destroyed) break;
      // Kubernetes ended the watch (its timeoutSeconds): reopen from where it stopped.
      try {
        upstream = await open();
      } catch (err) {
        if (ctx.signal.aborted) break;
        const e = err instanceof ApiError && err.status > 0 ? err : undefined;
        res.write(
          sseEvent(
            failure(
              e?.status ?? 503,
              e?.reason || 'ServiceUnavailable',
              e?.body?.message ?? errorMessage(err),
            ),
          ),
        );
        break;
      }
    }
  } catch (err) {
    if (!ctx.signal.aborted && !res.destroyed)
      res.write(sseEvent(failure(503, 'ServiceUnavailable', `the watch broke: ${errorMessage(err)}`)));
  } finally {
    clearInterval(heartbeat);
    upstream.destroy();
    if (!res.destroyed) res.end();
  }
  return undefined;
}
