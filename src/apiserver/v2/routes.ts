import type { ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, isNotFound } from '../../k8s/api-error.ts';
import { Resources } from '../../k8s/resources.ts';
import { errorMessage } from '../../lib/errors.ts';
import { proxyTransport } from '../../ray/transport.ts';
import type { ApiHttpServer, RequestContext } from '../http/server.ts';
import { type ApiComputeTemplate, configMapToComputeTemplate } from '../v1/compute-template.ts';
import { registerSelfReview } from './access-review.ts';
import { notFound, passOnRefusal, writeStatus as status } from './k8s-status.ts';
import { isFollowedPodLog, RAY_POD_LOG, rayPodLog } from './pod-log.ts';
import { isWatch } from './sse.ts';
import { expandTemplates, templateRefs } from './template-expansion.ts';
import { type SseWatchOptions, sseWatch } from './watch.ts';

/**
 * V2: the Kubernetes API itself for ray.io objects, ray.io events and the dashboards of KubeRay's Services, made
 * as the caller (impersonation in the secure mode), so Kubernetes RBAC decides every call. Bodies of RayCluster,
 * RayJob and RayService writes may name compute templates, expanded here. Answers keep Kubernetes' shapes.
 */
type Obj = Record<string, unknown>;

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
export const retryPolicy = {
  retries: 3,
  initialMs: 500,
  factor: 2,
  maxMs: 10_000,
  overallMs: 30_000,
} as const;

/** The backoff before retry `n` (0-based) of KubeRay's V2 retry transport. */
export function retryDelayMs(n: number): number {
  return Math.min(retryPolicy.initialMs * retryPolicy.factor ** n, retryPolicy.maxMs);
}

function send(res: ServerResponse, code: number, body: unknown): undefined {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return undefined;
}

/** One call to Kubernetes as the caller, retried on 408/429/5xx with KubeRay's backoff. */
async function forward(
  ctx: RequestContext,
  method: string,
  path: string,
  body?: { text: string; contentType: string },
): Promise<{ status: number; body: unknown }> {
  const query = Object.fromEntries(ctx.query.entries());
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const out = await ctx.kube.rest.request<unknown>(method, path, {
        query,
        ...(body ? { body: body.text, contentType: body.contentType } : {}),
        signal: ctx.signal,
      });
      return { status: method === 'POST' ? 201 : 200, body: out ?? {} };
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 0) throw err;
      const delay = retryDelayMs(attempt);
      const retry =
        RETRY_STATUSES.has(err.status) &&
        attempt < retryPolicy.retries &&
        Date.now() - started + delay < retryPolicy.overallMs;
      if (!retry) return { status: err.status, body: err.body ?? { message: err.message } };
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

function bodyObject(text: string, contentType: string): Obj {
  const parsed: unknown = /yaml/i.test(contentType) ? parseYaml(text) : JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TypeError('the body must be an object');
  return parsed as Obj;
}

async function loadTemplates(
  ctx: RequestContext,
  namespace: string,
  plural: string,
  obj: Obj,
): Promise<Map<string, ApiComputeTemplate>> {
  const out = new Map<string, ApiComputeTemplate>();
  for (const ref of templateRefs(plural, obj)) {
    if (out.has(ref.name)) continue;
    try {
      out.set(
        ref.name,
        configMapToComputeTemplate(await ctx.kube.get(Resources.configMaps, namespace, ref.name)),
      );
    } catch (err) {
      if (isNotFound(err))
        throw new TemplateError(
          400,
          'BadRequest',
          `${ref.field}: compute template "${ref.name}" not found in namespace "${namespace}"`,
        );
      if (err instanceof ApiError && (err.status === 401 || err.status === 403))
        throw new TemplateError(
          err.status,
          err.reason || 'Forbidden',
          `${ref.field}: ${err.body?.message ?? err.message}`,
        );
      throw err;
    }
  }
  return out;
}

class TemplateError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}

const RAY_PATH =
  /^\/apis\/ray\.io\/v1\/namespaces\/([^/]+)\/(rayclusters|rayjobs|rayservices)(?:\/([^/]+))?$/;

async function rayProxy(ctx: RequestContext, watchOptions: SseWatchOptions): Promise<undefined> {
  const { req, res } = ctx;
  const method = req.method ?? 'GET';
  const path = ctx.params.path!;
  if (isWatch(ctx.query)) return sseWatch(ctx, watchOptions);
  if (method === 'GET' || method === 'DELETE') {
    const out = await forward(ctx, method, path);
    return send(res, out.status, out.body);
  }
  const contentType = String(req.headers['content-type'] ?? 'application/json');
  const text = (await ctx.raw()).toString('utf8');
  const m = RAY_PATH.exec(path);
  const expand = m && ((method === 'POST' && !m[3]) || (method === 'PUT' && m[3]));
  if (!expand) {
    const out = await forward(ctx, method, path, { text, contentType });
    return send(res, out.status, out.body);
  }
  let obj: Obj;
  try {
    obj = bodyObject(text, contentType);
  } catch (err) {
    return status(
      res,
      400,
      'BadRequest',
      `the request body is not a valid ${/yaml/i.test(contentType) ? 'YAML' : 'JSON'} object: ${errorMessage(err)}`,
    );
  }
  const namespace = decodeURIComponent(m[1]!);
  const plural = m[2]!;
  let expanded: Obj;
  try {
    expanded = expandTemplates(plural, obj, await loadTemplates(ctx, namespace, plural, obj));
  } catch (err) {
    if (err instanceof TemplateError) return status(res, err.code, err.reason, err.message);
    if (err instanceof TypeError) return status(res, 400, 'BadRequest', err.message);
    throw err;
  }
  const out = await forward(ctx, method, path, {
    text: JSON.stringify(expanded),
    contentType: 'application/json',
  });
  return send(res, out.status, out.body);
}

const RAY_EVENTS = /^\/apis\/events\.k8s\.io\/v1\/namespaces\/([^/]+)\/events$/;

/** An events.k8s.io event about a ray.io object. */
const aboutRayObject = (e: { object: unknown }) =>
  (e.object as { regarding?: { apiVersion?: string } } | undefined)?.regarding?.apiVersion === 'ray.io/v1';

async function eventsProxy(ctx: RequestContext, watchOptions: SseWatchOptions): Promise<undefined> {
  const method = ctx.req.method ?? 'GET';
  const m = RAY_EVENTS.exec(ctx.params.path!);
  if (method !== 'GET' || !m)
    return notFound(ctx.res, 'only GET /apis/events.k8s.io/v1/namespaces/{namespace}/events is served');
  // A watch streams the events about ray.io objects only, as the list returns them.
  if (isWatch(ctx.query))
    return sseWatch(ctx, watchOptions, {
      target: { namespace: decodeURIComponent(m[1]!), plural: 'events' },
      keep: aboutRayObject,
    });
  const out = await forward(ctx, 'GET', ctx.params.path!);
  if (out.status === 200 && out.body && typeof out.body === 'object') {
    const list = out.body as { items?: { regarding?: { apiVersion?: string } }[] };
    list.items = (list.items ?? []).filter((e) => e.regarding?.apiVersion === 'ray.io/v1');
  }
  return send(ctx.res, out.status, out.body);
}

const SERVICE_PROXY = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;

const RAY_PODS = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/;

/**
 * `GET /api/v1/namespaces/{ns}/pods?labelSelector=ray.io/cluster=<name>`: the pods of one RayCluster, listed as
 * the caller (the dashboard's detail pages). Any other pods call is not served (404, as before).
 */
async function rayPods(ctx: RequestContext, watchOptions: SseWatchOptions): Promise<undefined> {
  const selector = ctx.query.get('labelSelector') ?? '';
  if ((ctx.req.method ?? 'GET') !== 'GET' || !/(^|,)\s*ray\.io\/cluster\s*==?\s*[^,\s]+/.test(selector))
    return notFound(
      ctx.res,
      'only GET of the pods of one RayCluster is served: labelSelector=ray.io/cluster=<name>',
    );
  if (isWatch(ctx.query))
    return sseWatch(ctx, watchOptions, {
      target: { namespace: decodeURIComponent(RAY_PODS.exec(ctx.params.path!)![1]!), plural: 'pods' },
    });
  const out = await forward(ctx, 'GET', ctx.params.path!);
  return send(ctx.res, out.status, out.body);
}

async function serviceProxy(ctx: RequestContext, watchOptions: SseWatchOptions): Promise<undefined> {
  if (RAY_PODS.test(ctx.params.path!)) return rayPods(ctx, watchOptions);
  if (RAY_POD_LOG.test(ctx.params.path!)) return rayPodLog(ctx);
  const m = SERVICE_PROXY.exec(ctx.params.path!);
  if (!m)
    return notFound(
      ctx.res,
      'only the proxy of KubeRay Services (/api/v1/namespaces/{ns}/services/{name}/proxy) and the pods of a RayCluster (/api/v1/namespaces/{ns}/pods?labelSelector=ray.io/cluster=<name>) and their logs (/api/v1/namespaces/{ns}/pods/{name}/log) are served',
    );
  const namespace = decodeURIComponent(m[1]!);
  const service = decodeURIComponent(m[2]!);
  const name = service.split(':')[0]!;
  try {
    const svc = await ctx.kube.get(Resources.services, namespace, name);
    if (svc.metadata.labels?.['app.kubernetes.io/name'] !== 'kuberay')
      return notFound(ctx.res, `services "${name}" not found`);
  } catch (err) {
    return passOnRefusal(ctx.res, err);
  }
  const base = `/api/v1/namespaces/${m[1]}/services/${m[2]}/proxy`;
  const qs = ctx.query.toString();
  const method = ctx.req.method ?? 'GET';
  const text = method === 'GET' || method === 'DELETE' ? undefined : (await ctx.raw()).toString('utf8');
  const out = await proxyTransport(ctx.kube.rest, base, 30_000).send({
    method,
    path: `${m[3] ?? '/'}${qs ? `?${qs}` : ''}`,
    ...(text ? { body: text } : {}),
  });
  let json = true;
  try {
    JSON.parse(out.body);
  } catch {
    json = false;
  }
  ctx.res.writeHead(out.status, { 'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8' });
  ctx.res.end(out.body);
  return undefined;
}

/** Registers the V2 routes. */
export function registerV2(server: ApiHttpServer, options: { watch?: SseWatchOptions } = {}): void {
  registerSelfReview(server);
  server.addPrefix('/apis/ray.io/v1/', {
    name: 'v2/ray.io',
    handle: (ctx) => rayProxy(ctx, options.watch ?? {}),
    streaming: (_req, query) => isWatch(query),
  });
  server.addPrefix('/apis/events.k8s.io/v1/', {
    name: 'v2/events',
    handle: (ctx) => eventsProxy(ctx, options.watch ?? {}),
    streaming: (_req, query) => isWatch(query),
  });
  server.addPrefix('/api/v1/namespaces/', {
    name: 'v2/service-proxy',
    handle: (ctx) => serviceProxy(ctx, options.watch ?? {}),
    streaming: (req, query) => isWatch(query) || isFollowedPodLog(req, query),
  });
}
