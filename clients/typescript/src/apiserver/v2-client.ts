import type { RayCluster } from '../../../../src/api/raycluster.ts';
import type { RayJob } from '../../../../src/api/rayjob.ts';
import type { RayService } from '../../../../src/api/rayservice.ts';
import type { ObjectList } from '../../../../src/k8s/objects.ts';
import { Resources, type ResourceType, resourcePath } from '../../../../src/k8s/resources.ts';
import { type ApiRequest, ApiServerHttp, type ApiServerOptions, withQuery } from './http.ts';

/** The kinds the v2 routes proxy. */
export type V2Kind = 'rayclusters' | 'rayjobs' | 'rayservices';

const types: Readonly<Record<V2Kind, ResourceType>> = {
  rayclusters: Resources.rayClusters,
  rayjobs: Resources.rayJobs,
  rayservices: Resources.rayServices,
};

/** Options of v2 list calls: the Kubernetes list parameters. */
export interface V2ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  /** The `metadata.continue` of the previous page. */
  readonly continue?: string;
}

function typeOf(kind: V2Kind): ResourceType {
  const t = types[kind];
  if (!t)
    throw new TypeError(`kind: must be rayclusters, rayjobs or rayservices, got ${JSON.stringify(kind)}`);
  return t;
}

function name(obj: { metadata?: { name?: string; namespace?: string } }): {
  namespace: string;
  name: string;
} {
  const n = obj?.metadata?.name;
  const ns = obj?.metadata?.namespace;
  if (!n) throw new TypeError('metadata.name: must be a non-empty string');
  if (!ns)
    throw new TypeError('metadata.namespace: must be a non-empty string (the v2 routes are namespaced)');
  return { namespace: ns, name: n };
}

/**
 * The HTTP request of each v2 call (pure). The v2 routes are Kubernetes' own REST paths under
 * `/apis/ray.io/v1`, served by the API server as a proxy.
 *
 * @example
 * ```ts
 * v2Requests.get('rayclusters', 'ml', 'demo'); // GET /apis/ray.io/v1/namespaces/ml/rayclusters/demo
 * ```
 */
export const v2Requests = {
  list: (kind: V2Kind, namespace: string | undefined, o: V2ListOptions = {}): ApiRequest => ({
    method: 'GET',
    path: withQuery(resourcePath(typeOf(kind), { namespace }), {
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      limit: o.limit,
      continue: o.continue,
    }),
  }),
  get: (kind: V2Kind, namespace: string, objName: string): ApiRequest => ({
    method: 'GET',
    path: resourcePath(typeOf(kind), {
      namespace: nonEmpty(namespace, 'namespace'),
      name: nonEmpty(objName, 'name'),
    }),
  }),
  create: (kind: V2Kind, obj: V2Object): ApiRequest => ({
    method: 'POST',
    path: resourcePath(typeOf(kind), { namespace: name(obj).namespace }),
    body: obj,
  }),
  update: (kind: V2Kind, obj: V2Object): ApiRequest => ({
    method: 'PUT',
    path: resourcePath(typeOf(kind), name(obj)),
    body: obj,
  }),
  patch: (kind: V2Kind, namespace: string, objName: string, patch: unknown): ApiRequest => ({
    method: 'PATCH',
    path: resourcePath(typeOf(kind), {
      namespace: nonEmpty(namespace, 'namespace'),
      name: nonEmpty(objName, 'name'),
    }),
    body: patch,
    contentType: 'application/merge-patch+json',
  }),
  delete: (kind: V2Kind, namespace: string, objName: string): ApiRequest => ({
    method: 'DELETE',
    path: resourcePath(typeOf(kind), {
      namespace: nonEmpty(namespace, 'namespace'),
      name: nonEmpty(objName, 'name'),
    }),
  }),
  events: (namespace: string): ApiRequest => ({
    method: 'GET',
    path: `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(nonEmpty(namespace, 'namespace'))}/events`,
  }),
} as const;

function nonEmpty(v: string, field: string): string {
  if (typeof v !== 'string' || v === '') throw new TypeError(`${field}: must be a non-empty string`);
  return v;
}

/**
 * An object sent to the v2 routes. A head or worker group may carry `computeTemplate: '<name>'` instead of
 * resources: the API server fills the container resources, tolerations and the `ray.io/compute-template`
 * annotation from that v1 compute template.
 */
export type V2Object = {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string };
} & Record<string, unknown>;

/** An events.k8s.io/v1 Event (only those about ray.io objects are returned). */
export interface V2Event {
  readonly metadata: { readonly name?: string; readonly namespace?: string };
  readonly regarding?: { readonly apiVersion?: string; readonly kind?: string; readonly name?: string };
  readonly reason?: string;
  readonly note?: string;
  readonly type?: string;
  readonly eventTime?: string;
}

/**
 * A client of KubeRay's API server v2 routes: Kubernetes-shaped CRUD of RayCluster, RayJob and RayService
 * through the API server (which adds compute-template resolution and its own credentials), and ray.io events.
 * Uses only `fetch`: runs in Node 20+, Bun, Deno and browsers.
 *
 * @example
 * ```ts
 * const api = new ApiServerV2Client({ url: 'http://localhost:31888' });
 * await api.create('rayclusters', rayClusterManifest({ name: 'demo', namespace: 'ml', workers: 1 }));
 * const c = await api.get<RayCluster>('rayclusters', 'ml', 'demo');
 * console.log(c.status?.state);
 * ```
 */
export class ApiServerV2Client {
  readonly http: ApiServerHttp;

  constructor(options: ApiServerOptions) {
    this.http = new ApiServerHttp(options);
  }

  /** One page of objects of a namespace (or all); `metadata.continue` names the next page. */
  list<T = RayCluster | RayJob | RayService>(
    kind: V2Kind,
    namespace?: string,
    options: V2ListOptions = {},
  ): Promise<ObjectList<T & { metadata: { name?: string } }>> {
    return this.http.send(v2Requests.list(kind, namespace, options));
  }
  get<T = RayCluster | RayJob | RayService>(kind: V2Kind, namespace: string, objName: string): Promise<T> {
    return this.http.send(v2Requests.get(kind, namespace, objName));
  }
  create<T = V2Object>(kind: V2Kind, obj: V2Object | RayCluster | RayJob | RayService): Promise<T> {
    return this.http.send(v2Requests.create(kind, obj as V2Object));
  }
  update<T = V2Object>(kind: V2Kind, obj: V2Object | RayCluster | RayJob | RayService): Promise<T> {
    return this.http.send(v2Requests.update(kind, obj as V2Object));
  }
  /** JSON merge patch. */
  patch<T = V2Object>(kind: V2Kind, namespace: string, objName: string, patch: unknown): Promise<T> {
    return this.http.send(v2Requests.patch(kind, namespace, objName, patch));
  }
  async delete(kind: V2Kind, namespace: string, objName: string): Promise<void> {
    await this.http.send(v2Requests.delete(kind, namespace, objName));
  }
  /** Events about ray.io objects in a namespace. */
  async events(namespace: string): Promise<V2Event[]> {
    const list = await this.http.send<{ items?: V2Event[] }>(v2Requests.events(namespace));
    return list?.items ?? [];
  }
}
