import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Resources } from '../../k8s/resources.ts';
import type { RequestContext } from '../http/server.ts';
import { notFound, passOnRefusal, writeStatus as status } from './k8s-status.ts';
import { startStream } from './stream-head.ts';

/** `GET /api/v1/namespaces/{ns}/pods/{name}/log`: the logs of a Ray pod, read as the caller. */
export const RAY_POD_LOG = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;

/** The PodLogOptions passed on to Kubernetes (which validates their values); any other parameter is refused. */
const LOG_OPTIONS = new Set(['follow', 'tailLines', 'container', 'timestamps', 'sinceSeconds', 'limitBytes']);

/** The label every pod of a RayCluster carries (head, workers); only such pods' logs are served. */
const CLUSTER_LABEL = 'ray.io/cluster';

/** Whether a request is a followed pod log (a long-lived stream: no deadline, ended at shutdown). */
export function isFollowedPodLog(req: IncomingMessage, query: URLSearchParams): boolean {
  const f = query.get('follow');
  if (f !== 'true' && f !== '1') return false;
  return RAY_POD_LOG.test(new URL(req.url ?? '/', 'http://x').pathname);
}

/**
 * The pod must be a pod of a RayCluster (the `ray.io/cluster` label) that the caller may `get`; then its log is
 * streamed from Kubernetes as the caller (`pods/log`), so RBAC decides both calls, as for the rest of V2.
 * `follow=true` keeps the answer open until the container ends or the client goes away.
 */
export async function rayPodLog(ctx: RequestContext): Promise<undefined> {
  const { res } = ctx;
  const m = RAY_POD_LOG.exec(ctx.params.path!)!;
  if ((ctx.req.method ?? 'GET') !== 'GET') return status(res, 405, 'MethodNotAllowed', 'pod logs are a GET');
  for (const key of ctx.query.keys())
    if (!LOG_OPTIONS.has(key))
      return status(
        res,
        400,
        'BadRequest',
        `unknown parameter "${key}": pod logs take ${[...LOG_OPTIONS].join(', ')}`,
      );
  const namespace = decodeURIComponent(m[1]!);
  const name = decodeURIComponent(m[2]!);
  let upstream: IncomingMessage;
  try {
    const pod = await ctx.kube.get(Resources.pods, namespace, name);
    if (!pod.metadata.labels?.[CLUSTER_LABEL])
      return notFound(
        res,
        `pods "${name}" is not a pod of a RayCluster (no ${CLUSTER_LABEL} label): only Ray pods' logs are served`,
      );
    upstream = await ctx.kube.rest.stream(ctx.params.path!, {
      query: Object.fromEntries(ctx.query.entries()),
      signal: ctx.signal,
    });
  } catch (err) {
    return passOnRefusal(res, err);
  }
  startStream(res, 'text/plain; charset=utf-8', ctx.query.get('follow') === 'true');
  try {
    await pipeline(upstream, res);
  } catch {
    // the client went away or the upstream broke: the answer simply ends
    upstream.destroy();
    if (!res.destroyed) res.end();
  }
  return undefined;
}
