import { Resources } from '../../k8s/resources.ts';
import type { RouteTable } from '../http/server.ts';
import { attrs, body, eventsOf, getManaged, listManaged, type Msg, pageQuery, reply, rpc } from './common.ts';
import { forbiddenPassThrough, internalError, wrap } from './errors.ts';
import { goNow } from './go-time.ts';
import { buildRayJob, buildRayService, rayJobToApi, rayServiceToApi } from './job-service.ts';
import type { ListCache } from './list-cache.ts';
import {
  ListAllRayJobsResponse,
  ListAllRayServicesResponse,
  ListRayJobsResponse,
  ListRayServicesResponse,
  RayJob,
  RayService,
} from './messages.ts';
import { built, deleteManagedRoute, templatesFor } from './route-kit.ts';
import { validateJob, validateService } from './validation.ts';

type Obj = Record<string, unknown> & { metadata: Msg };

/** RayJobService: RayJob CRs. */
export function registerJobs(server: RouteTable, cache?: ListCache): void {
  const S = 'RayJobService';
  const base = '/apis/v1/namespaces/{namespace}/jobs';
  const texts = (name: string) => ({
    notFound: `Job ${name} not found`,
    failed: 'Get Job failed',
    kind: 'RayCluster',
  });
  server.add(
    'POST',
    base,
    rpc(S, 'CreateRayJob', attrs('create', 'ray.io', 'rayjobs'), async (ctx) => {
      const j = await body(ctx, RayJob, 'job');
      const bad = validateJob(ctx.params.namespace!, j);
      if (bad) throw bad.wrap('Validate job request failed.');
      const ns = ctx.params.namespace!;
      const context = 'Create Job failed.';
      const owner = `${ns}/${String(j.jobId ?? '')}`;
      const templates = j.clusterSpec
        ? await templatesFor(ctx.kube, ns, j.clusterSpec as Msg, owner, context)
        : new Map();
      const rj = built(() => buildRayJob(j, templates), 'Job', context);
      try {
        return reply(RayJob, rayJobToApi((await ctx.kube.create(Resources.rayJobs, rj as never)) as Obj));
      } catch (err) {
        throw (
          forbiddenPassThrough(err) ??
          internalError(err, `Failed to create a job for (${owner})`).wrap(context)
        );
      }
    }),
  );
  server.add(
    'GET',
    `${base}/{name}`,
    rpc(S, 'GetRayJob', attrs('get', 'ray.io', 'rayjobs'), async (ctx) => {
      const { namespace, name } = ctx.params as { namespace: string; name: string };
      try {
        return reply(
          RayJob,
          rayJobToApi(await getManaged(ctx.kube, Resources.rayJobs, namespace, name, texts(name))),
        );
      } catch (err) {
        throw wrap(err, 'Get job failed.');
      }
    }),
  );
  const list = (all: boolean) =>
    rpc(S, all ? 'ListAllRayJobs' : 'ListRayJobs', attrs('list', 'ray.io', 'rayjobs'), async (ctx) => {
      const ns = all ? undefined : ctx.params.namespace!;
      try {
        const page = await listManaged(ctx, Resources.rayJobs, ns, cache, pageQuery(ctx.query));
        return reply(all ? ListAllRayJobsResponse : ListRayJobsResponse, {
          jobs: page.items.map(rayJobToApi),
          continue: page.continue,
        });
      } catch (err) {
        throw wrap(err, all ? 'List all jobs failed.' : 'List jobs failed.');
      }
    });
  server.add('GET', base, list(false));
  server.add('GET', '/apis/v1/jobs', list(true));
  server.add(
    'DELETE',
    `${base}/{name}`,
    deleteManagedRoute({
      service: S,
      method: 'DeleteRayJob',
      type: Resources.rayJobs,
      resource: 'rayjobs',
      texts,
      getFailure: 'Get job failure',
      deleteFailed: (name) => `Failed to delete cluster ${name}.`,
    }),
  );
}

/** RayServeService: RayService CRs, with events of the service and its active cluster. */
export function registerServices(server: RouteTable, cache?: ListCache, now: () => string = goNow): void {
  const S = 'RayServeService';
  const base = '/apis/v1/namespaces/{namespace}/services';
  const texts = (name: string) => ({
    notFound: `Service ${name} not found`,
    failed: 'get service failed',
    kind: 'RayService',
  });
  const withEvents = async (ctx: { kube: Parameters<typeof eventsOf>[0] }, sv: Obj) => {
    const ns = String(sv.metadata.namespace ?? '');
    const events = await eventsOf(ctx.kube, ns, String(sv.metadata.name ?? ''));
    const cluster = (sv.status as Msg | undefined)?.activeServiceStatus as Msg | undefined;
    if (cluster?.rayClusterName)
      events.push(...(await eventsOf(ctx.kube, ns, String(cluster.rayClusterName))));
    return rayServiceToApi(sv, events);
  };
  const write = (update: boolean) =>
    rpc(
      S,
      update ? 'UpdateRayService' : 'CreateRayService',
      attrs(update ? 'update' : 'create', 'ray.io', 'rayservices'),
      async (ctx) => {
        const s = await body(ctx, RayService, 'service');
        const bad = validateService(ctx.params.namespace!, s, update ? ctx.params.name : undefined);
        if (bad)
          throw bad.wrap(
            update ? 'Validate update service request failed.' : 'Validate service request failed.',
          );
        const ns = ctx.params.namespace!;
        const name = String(s.name);
        const context = update ? 'Update ray service failed.' : 'Create ray service failed.';
        let old: Obj | undefined;
        if (update) {
          try {
            old = (await getManaged(ctx.kube, Resources.rayServices, ns, name, texts(name))) as Obj;
          } catch (err) {
            throw wrap(wrap(err, `Update service fail, no service named: ${name} `), context);
          }
        }
        const templates = await templatesFor(ctx.kube, ns, s.clusterSpec as Msg, `${ns}/${name}`, context);
        const stamp = now();
        const annotations: Record<string, string> = {
          [update ? 'ray.io/update-timestamp' : 'ray.io/creation-timestamp']: stamp,
        };
        const rs = built(() => buildRayService(s, templates, annotations), 'Service', context);
        try {
          const out = update
            ? await ctx.kube.update(Resources.rayServices, {
                ...rs,
                metadata: { ...(rs.metadata as Msg), resourceVersion: old?.metadata.resourceVersion },
              } as never)
            : await ctx.kube.create(Resources.rayServices, rs as never);
          return reply(RayService, await withEvents(ctx, out as Obj));
        } catch (err) {
          throw (
            forbiddenPassThrough(err) ??
            internalError(err, `Failed to ${update ? 'update' : 'create'} service for (${ns}/${name})`).wrap(
              context,
            )
          );
        }
      },
    );
  server.add('POST', base, write(false));
  server.add('PUT', `${base}/{name}`, write(true));
  server.add(
    'GET',
    `${base}/{name}`,
    rpc(S, 'GetRayService', attrs('get', 'ray.io', 'rayservices'), async (ctx) => {
      const { namespace, name } = ctx.params as { namespace: string; name: string };
      try {
        const sv = (await getManaged(ctx.kube, Resources.rayServices, namespace, name, texts(name))) as Obj;
        return reply(RayService, await withEvents(ctx, sv));
      } catch (err) {
        throw wrap(err, 'get ray service failed.');
      }
    }),
  );
  const list = (all: boolean) =>
    rpc(
      S,
      all ? 'ListAllRayServices' : 'ListRayServices',
      attrs('list', 'ray.io', 'rayservices'),
      async (ctx) => {
        const ns = all ? undefined : ctx.params.namespace!;
        try {
          const page = await listManaged(
            ctx,
            Resources.rayServices,
            ns,
            cache,
            pageQuery(ctx.query, 'pageSize', 'pageToken'),
          );
          const services = await Promise.all(page.items.map((sv) => withEvents(ctx, sv as Obj)));
          return reply(all ? ListAllRayServicesResponse : ListRayServicesResponse, {
            services,
            totalSize: services.length,
            nextPageToken: page.continue,
          });
        } catch (err) {
          throw wrap(err, all ? 'list all ray services failed.' : 'list ray services failed.');
        }
      },
    );
  server.add('GET', base, list(false));
  server.add('GET', '/apis/v1/services', list(true));
  server.add(
    'DELETE',
    `${base}/{name}`,
    deleteManagedRoute({
      service: S,
      method: 'DeleteRayService',
      type: Resources.rayServices,
      resource: 'rayservices',
      texts,
      getFailure: 'delete ray service failure',
      deleteFailed: (name) => `failed to delete ray service ${name}.`,
    }),
  );
}
