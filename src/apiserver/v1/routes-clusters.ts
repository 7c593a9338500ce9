import { Resources } from '../../k8s/resources.ts';
import type { RouteTable } from '../http/server.ts';
import { buildRayCluster } from './cluster-build.ts';
import { rayClusterToApi } from './cluster-convert.ts';
import { attrs, body, eventsOf, getManaged, listManaged, type Msg, pageQuery, reply, rpc } from './common.ts';
import { forbiddenPassThrough, internalError, wrap } from './errors.ts';
import { goNow } from './go-time.ts';
import type { ListCache } from './list-cache.ts';
import { Cluster, ListAllClustersResponse, ListClustersResponse } from './messages.ts';
import { built, deleteManagedRoute, templatesFor } from './route-kit.ts';
import { validateCluster } from './validation.ts';

const S = 'ClusterService';
const texts = (name: string) => ({
  notFound: `Cluster ${name} not found`,
  failed: 'Get Cluster failed',
  kind: 'RayCluster',
});

/** ClusterService: RayClusters labelled app.kubernetes.io/managed-by=kuberay-apiserver. */
export function registerClusters(server: RouteTable, cache?: ListCache, now: () => string = goNow): void {
  const base = '/apis/v1/namespaces/{namespace}/clusters';
  server.add(
    'POST',
    base,
    rpc(S, 'CreateCluster', attrs('create', 'ray.io', 'rayclusters'), async (ctx) => {
      const c = await body(ctx, Cluster, 'cluster');
      const bad = validateCluster(ctx.params.namespace!, c);
      if (bad) throw bad.wrap('Validate cluster request failed.');
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
    }),
  );
  server.add(
    'GET',
    `${base}/{name}`,
    rpc(S, 'GetCluster', attrs('get', 'ray.io', 'rayclusters'), async (ctx) => {
      const { namespace, name } = ctx.params as { namespace: string; name: string };
      try {
        const rc = await getManaged(ctx.kube, Resources.rayClusters, namespace, name, texts(name));
        return reply(Cluster, rayClusterToApi(rc, await eventsOf(ctx.kube, namespace, name)));
      } catch (err) {
        throw wrap(err, 'Get cluster failed.');
      }
    }),
  );
  const list = (all: boolean) =>
    rpc(S, all ? 'ListAllClusters' : 'ListCluster', attrs('list', 'ray.io', 'rayclusters'), async (ctx) => {
      const ns = all ? undefined : ctx.params.namespace!;
      try {
        const page = await listManaged(ctx, Resources.rayClusters, ns, cache, pageQuery(ctx.query));
        return reply(all ? ListAllClustersResponse : ListClustersResponse, {
          clusters: page.items.map((rc) => rayClusterToApi(rc, [])),
          continue: page.continue,
        });
      } catch (err) {
        throw wrap(
          wrap(err, `List RayCluster failed in ${ns ?? ''}`),
          all ? 'List all clusters failed.' : 'List clusters failed.',
        );
      }
    });
  server.add('GET', base, list(false));
  server.add('GET', '/apis/v1/clusters', list(true));
  server.add(
    'DELETE',
    `${base}/{name}`,
    deleteManagedRoute({
      service: S,
      method: 'DeleteCluster',
      type: Resources.rayClusters,
      resource: 'rayclusters',
      texts,
      getFailure: 'Get cluster failure',
      deleteFailed: (name) => `Failed to delete cluster ${name}.`,
    }),
  );
}
