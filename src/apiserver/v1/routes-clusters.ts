import { Resources } from '../../k8s/resources.ts';
import type { RouteTable } from '../http/server.ts';
import { buildRayCluster } from './cluster-build.ts';
import { rayClusterToApi } from './cluster-convert.ts';
import { eventsOf, type Msg, reply, routeAdder, validBody } from './common.ts';
import { forbiddenPassThrough, internalError, wrap } from './errors.ts';
import { goNow } from './go-time.ts';
import type { ListCache } from './list-cache.ts';
import { Cluster, ListAllClustersResponse, ListClustersResponse } from './messages.ts';
import { built, deleteManaged, getManagedRoute, listManagedPage, templatesFor } from './route-kit.ts';
import { validateCluster } from './validation.ts';

const texts = (name: string) => ({
  notFound: `Cluster ${name} not found`,
  failed: 'Get Cluster failed',
  kind: 'RayCluster',
  getFailed: 'Get cluster failed.',
  deleteLookupFailed: 'Get cluster failure',
  deleteFailed: `Failed to delete cluster ${name}.`,
});

/** ClusterService: RayClusters labelled app.kubernetes.io/managed-by=kuberay-apiserver. */
export function registerClusters(server: RouteTable, cache?: ListCache, now: () => string = goNow): void {
  const base = '/apis/v1/namespaces/{namespace}/clusters';
  const add = routeAdder(server, 'ClusterService', 'ray.io', 'rayclusters');
  add('POST', base, 'CreateCluster', 'create', async (ctx) => {
    const c = await validBody(ctx, Cluster, 'cluster', validateCluster, 'Validate cluster request failed.');
    const ns = ctx.params.namespace!;
    const name = String(c.name);
    const context = 'Create Cluster failed.';
    const templates = await templatesFor(ctx.kube, ns, c.clusterSpec as Msg, `${ns}/${name}`, context);
    const rc = built(() => buildRayCluster({ ...c, namespace: ns }, templates, now()), 'cluster', context);
    let created: Record<string, unknown> & { metadata: Msg };
    try {
      created = (await ctx.kube.create(Resources.rayClusters, rc as never)) as never;
    } catch (err) {
      throw (
        forbiddenPassThrough(err) ??
        internalError(err, `Failed to create a cluster for (${ns}/${name})`).wrap(context)
      );
    }
    return reply(Cluster, rayClusterToApi(created, await eventsOf(ctx.kube, ns, name)));
  });
  const get = getManagedRoute(Resources.rayClusters, texts, async (rc, ctx) =>
    reply(Cluster, rayClusterToApi(rc, await eventsOf(ctx.kube, ctx.params.namespace!, ctx.params.name!))),
  );
  add('GET', `${base}/{name}`, 'GetCluster', 'get', get);
  const list = (all: boolean) =>
    listManagedPage({
      type: Resources.rayClusters,
      cache,
      all,
      answer: (page) =>
        reply(all ? ListAllClustersResponse : ListClustersResponse, {
          clusters: page.items.map((rc) => rayClusterToApi(rc, [])),
          continue: page.continue,
        }),
      failed: (err, ns) =>
        wrap(
          wrap(err, `List RayCluster failed in ${ns ?? ''}`),
          all ? 'List all clusters failed.' : 'List clusters failed.',
        ),
    });
  add('GET', base, 'ListCluster', 'list', list(false));
  add('GET', '/apis/v1/clusters', 'ListAllClusters', 'list', list(true));
  add('DELETE', `${base}/{name}`, 'DeleteCluster', 'delete', deleteManaged(Resources.rayClusters, texts));
}
