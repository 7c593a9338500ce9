import { ApiServerLabels, ApiServerLabelValues } from '../../api/constants.ts';
import { isNotFound } from '../../k8s/api-error.ts';
import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources, type ResourceType } from '../../k8s/resources.ts';
import type { ResourceAttributes } from '../auth/types.ts';
import type { RequestContext, RouteSpec, RouteTable } from '../http/server.ts';
import { Code, RpcError } from '../http/status.ts';
import type { KubeEvent } from './cluster-convert.ts';
import { type ApiComputeTemplate, configMapToComputeTemplate } from './compute-template.ts';
import { internalError, notFoundError, UserError, wrap } from './errors.ts';
import type { ListCache } from './list-cache.ts';
import { type Decoded, decodeMessage, encodeMessage, type MessageDef } from './proto-json.ts';

export type Msg = Readonly<Record<string, unknown>>;

/** A V1 route: `proto.<Service>/<Method>`, the permission it needs, the handler. */
export function rpc(
  service: string,
  method: string,
  access: RouteSpec['access'],
  handle: RouteSpec['handle'],
): RouteSpec {
  return { name: `proto.${service}/${method}`, ...(access ? { access } : {}), handle };
}

/** The attributes of a ray.io or core resource in a path's namespace (or cluster-wide). */
const attrs =
  (verb: string, group: string, resource: string) =>
  (p: Readonly<Record<string, string>>): ResourceAttributes[] => [
    {
      verb,
      group,
      resource,
      ...(p.namespace ? { namespace: p.namespace } : {}),
      ...(p.name ? { name: p.name } : {}),
    },
  ];

/**
 * What registers the routes of one V1 service on one resource: `add(httpMethod, path, rpcMethod, verb, handle)`
 * serves `proto.<service>/<rpcMethod>` at `path`, for callers allowed `verb` on `resource` of `group`.
 */
export function routeAdder(server: RouteTable, service: string, group: string, resource: string) {
  return (
    httpMethod: string,
    path: string,
    method: string,
    verb: string,
    handle: RouteSpec['handle'],
  ): void => {
    server.add(httpMethod, path, rpc(service, method, attrs(verb, group, resource), handle));
  };
}

/** The request body decoded as `def` (the gateway's `body: "<field>"` is the whole JSON body). */
export async function body(ctx: RequestContext, def: MessageDef, path: string): Promise<Decoded> {
  return decodeMessage(def, await ctx.json(), path);
}

/**
 * The request body decoded as `def` and checked by `validate` against the route's namespace; a rejection is
 * thrown wrapped in `context` (KubeRay's "Validate ... request failed.").
 */
export async function validBody(
  ctx: RequestContext,
  def: MessageDef,
  path: string,
  validate: (namespace: string, m: Decoded) => UserError | undefined,
  context: string,
): Promise<Decoded> {
  const m = await body(ctx, def, path);
  const bad = validate(ctx.params.namespace!, m);
  if (bad) throw bad.wrap(context);
  return m;
}

export const reply = (def: MessageDef, value: Decoded | undefined) => ({ body: encodeMessage(def, value) });
export const empty = () => ({ body: {} });

const managedSelector = { [ApiServerLabels.managedBy]: ApiServerLabelValues.managedBy };

/** Reads a compute template ConfigMap (KubeRay's getComputeTemplateByName texts). */
export async function getTemplateConfigMap(
  kube: KubeClient,
  namespace: string,
  name: string,
): Promise<KubeObject> {
  try {
    return await kube.get(Resources.configMaps, namespace, name);
  } catch (err) {
    if (isNotFound(err)) throw notFoundError(err, `Compute template ${name} not found`);
    throw wrap(err, 'Get compute template failed');
  }
}

/** The templates a cluster spec refers to, as KubeRay's populateComputeTemplate loads them. */
export async function loadTemplates(
  kube: KubeClient,
  namespace: string,
  spec: Msg,
  owner: string,
): Promise<Map<string, ApiComputeTemplate>> {
  const refs: [field: string, name: string][] = [
    [
      'clusterSpec.headGroupSpec.computeTemplate',
      String((spec.headGroupSpec as Msg | undefined)?.computeTemplate ?? ''),
    ],
    ...((spec.workerGroupSpec as Msg[] | undefined) ?? []).map((w, i): [string, string] => [
      `clusterSpec.workerGroupSpec[${i}].computeTemplate`,
      String(w.computeTemplate ?? ''),
    ]),
  ];
  const out = new Map<string, ApiComputeTemplate>();
  for (const [field, name] of refs) {
    if (out.has(name)) continue;
    try {
      out.set(name, configMapToComputeTemplate(await getTemplateConfigMap(kube, namespace, name)));
    } catch (err) {
      // KubeRay wraps the lookup failure as an internal error (500); a missing template is the caller's mistake:
      // 400 naming the field that refers to it, KubeRay's texts kept in the chain (see docs/apiserver.md).
      if (err instanceof UserError && err.code === Code.NotFound)
        throw new UserError(
          Code.InvalidArgument,
          `${err.external} (${field})`,
          `Failed to populate compute template for (${owner}): ${err.internal}`,
        );
      if (
        err instanceof RpcError &&
        (err.code === Code.PermissionDenied || err.code === Code.Unauthenticated)
      )
        throw err;
      throw internalError(err, `Failed to populate compute template for (${owner})`);
    }
  }
  return out;
}

/** Gets a ray.io object the API server manages (KubeRay's getClusterByName & co). */
export async function getManaged(
  kube: KubeClient,
  resource: ResourceType,
  namespace: string,
  name: string,
  texts: { notFound: string; failed: string; kind: string },
): Promise<KubeObject> {
  let obj: KubeObject;
  try {
    obj = await kube.get(resource, namespace, name);
  } catch (err) {
    if (isNotFound(err)) throw notFoundError(err, texts.notFound);
    throw wrap(err, texts.failed);
  }
  if (obj.metadata.labels?.[ApiServerLabels.managedBy] !== ApiServerLabelValues.managedBy)
    throw Object.assign(
      new Error(`${texts.kind} with name ${name} not managed by ${ApiServerLabelValues.managedBy}`),
      {
        unmanaged: true,
      },
    );
  return obj;
}

/** Events of an object (involvedObject.name), empty when they cannot be read, as KubeRay tolerates. */
export async function eventsOf(kube: KubeClient, namespace: string, name: string): Promise<KubeEvent[]> {
  try {
    const list = await kube.listPage(Resources.events, {
      namespace,
      fieldSelector: { 'involvedObject.name': name },
    });
    return list.items as KubeEvent[];
  } catch {
    return [];
  }
}

/** `limit` and `continue` query parameters of the paginated lists. */
export function pageQuery(
  q: URLSearchParams,
  limitKey = 'limit',
  continueKey = 'continue',
): { limit?: number; continue?: string } {
  const limit = Number(q.get(limitKey) ?? '0');
  const cont = q.get(continueKey) ?? '';
  return { ...(Number.isInteger(limit) && limit > 0 ? { limit } : {}), ...(cont ? { continue: cont } : {}) };
}

/**
 * One page of managed objects: from the list cache when it is synced and no pagination was asked for,
 * otherwise a LIST made as the caller.
 */
export async function listManaged(
  ctx: RequestContext,
  resource: ResourceType,
  namespace: string | undefined,
  cache: ListCache | undefined,
  page: { limit?: number; continue?: string },
): Promise<{ items: KubeObject[]; continue: string }> {
  if (cache && page.limit === undefined && page.continue === undefined) {
    const items = cache.list(resource, namespace);
    if (items) return { items, continue: '' };
  }
  const list = await ctx.kube.listPage(resource, {
    ...(namespace ? { namespace } : {}),
    labelSelector: managedSelector,
    ...page,
  });
  return { items: list.items, continue: list.metadata.continue ?? '' };
}
