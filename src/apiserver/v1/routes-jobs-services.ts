import { Resources } from '../../k8s/resources.ts';
import type { RequestContext, RouteTable } from '../http/server.ts';
import { eventsOf, getManaged, type Msg, reply, routeAdder, validBody } from './common.ts';
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
import { built, deleteManaged, getManagedRoute, listManagedPage, templatesFor } from './route-kit.ts';
import { validateJob, validateService } from './validation.ts';

type Obj = Record<string, unknown> & { metadata: Msg };

/** RayJobService: RayJob CRs. */
export function registerJobs(server: RouteTable, cache?: ListCache): void {
  const add = routeAdder(server, 'RayJobService', 'ray.io', 'rayjobs');
  const base = '/apis/v1/namespaces/{namespace}/jobs';
  const texts = (name: string) => ({
    notFound: `Job ${name} not found`,
    failed: 'Get Job failed',
    kind: 'RayCluster',
    getFailed: 'Get job failed.',
    deleteLookupFailed: 'Get job failure',
    deleteFailed: `Failed to delete cluster ${name}.`,
  });
  add('POST', base, 'CreateRayJob', 'create', async (ctx) => {
    const j = await validBody(ctx, RayJob, 'job', validateJob, 'Validate job request failed.');
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
        forbiddenPassThrough(err) ?? internalError(err, `Failed to create a job for (${owner})`).wrap(context)
      );
    }
  });
  const get = getManagedRoute(Resources.rayJobs, texts, (rj) => reply(RayJob, rayJobToApi(rj)));
  add('GET', `${base}/{name}`, 'GetRayJob', 'get', get);
  const list = (all: boolean) =>
    listManagedPage({
      type: Resources.rayJobs,
      cache,
      all,
      answer: (page) =>
        reply(all ? ListAllRayJobsResponse : ListRayJobsResponse, {
          jobs: page.items.map(rayJobToApi),
          continue: page.continue,
        }),
      failed: (err) => wrap(err, all ? 'List all jobs failed.' : 'List jobs failed.'),
    });
  add('GET', base, 'ListRayJobs', 'list', list(false));
  add('GET', '/apis/v1/jobs', 'ListAllRayJobs', 'list', list(true));
  add('DELETE', `${base}/{name}`, 'DeleteRayJob', 'delete', deleteManaged(Resources.rayJobs, texts));
}

/** RayServeService: RayService CRs, with events of the service and its active cluster. */
export function registerServices(server: RouteTable, cache?: ListCache, now: () => string = goNow): void {
  const add = routeAdder(server, 'RayServeService', 'ray.io', 'rayservices');
  const base = '/apis/v1/namespaces/{namespace}/services';
  const texts = (name: string) => ({
    notFound: `Service ${name} not found`,
    failed: 'get service failed',
    kind: 'RayService',
    getFailed: 'get ray service failed.',
    deleteLookupFailed: 'delete ray service failure',
    deleteFailed: `failed to delete ray service ${name}.`,
  });
  const withEvents = async (ctx: { kube: Parameters<typeof eventsOf>[0] }, sv: Obj) => {
    const ns = String(sv.metadata.namespace ?? '');
    const events = await eventsOf(ctx.kube, ns, String(sv.metadata.name ?? ''));
    const cluster = (sv.status as Msg | undefined)?.activeServiceStatus as Msg | undefined;
    if (cluster?.rayClusterName)
      events.push(...(await eventsOf(ctx.kube, ns, String(cluster.rayClusterName))));
    return rayServiceToApi(sv, events);
  };
  const write = (update: boolean) => async (ctx: RequestContext) => {
    const s = await validBody(
      ctx,
      RayService,
      'service',
      (ns, s) => validateService(ns, s, update ? ctx.params.name : undefined),
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
  };
  add('POST', base, 'CreateRayService', 'create', write(false));
  add('PUT', `${base}/{name}`, 'UpdateRayService', 'update', write(true));
  const get = getManagedRoute(Resources.rayServices, texts, async (sv, ctx) =>
    reply(RayService, await withEvents(ctx, sv as Obj)),
  );
  add('GET', `${base}/{name}`, 'GetRayService', 'get', get);
  const list = (all: boolean) =>
    listManagedPage({
      type: Resources.rayServices,
      cache,
      all,
      pageKeys: ['pageSize', 'pageToken'],
      answer: async (page, ctx) => {
        const services = await Promise.all(page.items.map((sv) => withEvents(ctx, sv as Obj)));
        return reply(all ? ListAllRayServicesResponse : ListRayServicesResponse, {
          services,
          totalSize: services.length,
          nextPageToken: page.continue,
        });
      },
      failed: (err) => wrap(err, all ? 'list all ray services failed.' : 'list ray services failed.'),
    });
  add('GET', base, 'ListRayServices', 'list', list(false));
  add('GET', '/apis/v1/services', 'ListAllRayServices', 'list', list(true));
  add('DELETE', `${base}/{name}`, 'DeleteRayService', 'delete', deleteManaged(Resources.rayServices, texts));
}
