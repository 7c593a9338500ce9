import type { KubeClient } from '../../k8s/client.ts';
import type { Resources } from '../../k8s/resources.ts';
import type { RouteSpec } from '../http/server.ts';
import { BuildError } from './cluster-build.ts';
import { attrs, empty, getManaged, loadTemplates, type Msg, rpc } from './common.ts';
import type { ApiComputeTemplate } from './compute-template.ts';
import { forbiddenPassThrough, internalError, invalidInputWithDetails, wrap } from './errors.ts';

/** The texts getManaged uses for one kind. */
type ManagedTexts = (name: string) => { notFound: string; failed: string; kind: string };

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

/** A DELETE route: the object must exist and be managed by the API server, then it is deleted. */
export function deleteManagedRoute(opts: {
  service: string;
  method: string;
  type: (typeof Resources)['rayClusters'];
  resource: string;
  texts: ManagedTexts;
  getFailure: string;
  deleteFailed: (name: string) => string;
}): RouteSpec {
  return rpc(opts.service, opts.method, attrs('delete', 'ray.io', opts.resource), async (ctx) => {
    const { namespace, name } = ctx.params as { namespace: string; name: string };
    try {
      await getManaged(ctx.kube, opts.type, namespace, name, opts.texts(name));
    } catch (err) {
      throw wrap(err, opts.getFailure);
    }
    try {
      await ctx.kube.delete(opts.type, namespace, name);
    } catch (err) {
      throw forbiddenPassThrough(err) ?? internalError(err, opts.deleteFailed(name));
    }
    return empty();
  });
}
