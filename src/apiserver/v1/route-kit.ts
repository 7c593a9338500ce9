import type { KubeClient } from '../../k8s/client.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import type { ResourceType } from '../../k8s/resources.ts';
import type { Reply, RequestContext, RouteSpec } from '../http/server.ts';
import { BuildError } from './cluster-build.ts';
import { empty, getManaged, listManaged, loadTemplates, type Msg, pageQuery } from './common.ts';
import type { ApiComputeTemplate } from './compute-template.ts';
import { forbiddenPassThrough, internalError, invalidInputWithDetails, wrap } from './errors.ts';
import type { ListCache } from './list-cache.ts';

/** KubeRay's messages about one object of a kind: getManaged's, and the GET and DELETE routes' failures. */
type ManagedTexts = (name: string) => {
  notFound: string;
  failed: string;
  kind: string;
  /** A GET route's failure. */
  getFailed: string;
  /** A DELETE route's failure to find the object. */
  deleteLookupFailed: string;
  /** A DELETE route's failure to delete it. */
  deleteFailed: string;
};

/** `fn()`, with a BuildError reported as KubeRay's invalid input ("Failed to create a Ray <what>"). */
export function built<T>(fn: () => T, what: string, context: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BuildError)
      throw invalidInputWithDetails(err, `Failed to create a Ray ${what}`).wrap(context);
    throw err;
  }
}

/** loadTemplates, with a failure wrapped in the request's context. */
export function templatesFor(
  kube: KubeClient,
  namespace: string,
  spec: Msg,
  owner: string,
  context: string,
): Promise<Map<string, ApiComputeTemplate>> {
  return loadTemplates(kube, namespace, spec, owner).catch((err: unknown) => {
    throw wrap(err, context);
  });
}

/** A GET handler: the object must exist and be managed by the API server. */
export function getManagedRoute(
  type: ResourceType,
  texts: ManagedTexts,
  answer: (obj: KubeObject, ctx: RequestContext) => Reply | Promise<Reply>,
): RouteSpec['handle'] {
  return async (ctx) => {
    const { namespace, name } = ctx.params as { namespace: string; name: string };
    try {
      return await answer(await getManaged(ctx.kube, type, namespace, name, texts(name)), ctx);
    } catch (err) {
      throw wrap(err, texts(name).getFailed);
    }
  };
}

/** A DELETE handler: the object must exist and be managed by the API server, then it is deleted. */
export function deleteManaged(type: ResourceType, texts: ManagedTexts): RouteSpec['handle'] {
  return async (ctx) => {
    const { namespace, name } = ctx.params as { namespace: string; name: string };
    try {
      await getManaged(ctx.kube, type, namespace, name, texts(name));
    } catch (err) {
      throw wrap(err, texts(name).deleteLookupFailed);
    }
    try {
      await ctx.kube.delete(type, namespace, name);
    } catch (err) {
      throw forbiddenPassThrough(err) ?? internalError(err, texts(name).deleteFailed);
    }
    return empty();
  };
}

/**
 * A list handler: one page of the managed objects, in the route's namespace or (`all`, the ListAll route) in every
 * namespace, answered by `answer`; any failure is thrown as `failed` makes it (`ns` undefined for all).
 */
export function listManagedPage(opts: {
  type: ResourceType;
  cache: ListCache | undefined;
  all: boolean;
  /** The query parameters of the page size and token, where they are not `limit` and `continue`. */
  pageKeys?: readonly [size: string, token: string];
  answer: (page: { items: KubeObject[]; continue: string }, ctx: RequestContext) => Reply | Promise<Reply>;
  failed: (err: unknown, ns: string | undefined) => Error;
}): RouteSpec['handle'] {
  return async (ctx) => {
    const ns = opts.all ? undefined : ctx.params.namespace!;
    try {
      const page = await listManaged(
        ctx,
        opts.type,
        ns,
        opts.cache,
        pageQuery(ctx.query, ...(opts.pageKeys ?? [])),
      );
      return await opts.answer(page, ctx);
    } catch (err) {
      throw opts.failed(err, ns);
    }
  };
}
