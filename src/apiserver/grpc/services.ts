import * as M from '../v1/messages.ts';
import { type FieldType, field, jsonName, type MessageDef } from '../v1/proto-json.ts';

/**
 * The V1 RPCs: package `proto`, service and method names, request and response messages (field names and
 * numbers as in KubeRay's .proto files) and the HTTP rule each maps to, which is how a gRPC call reaches the
 * same handler as its JSON route.
 */
export interface Rpc {
  readonly service: string;
  readonly method: string;
  readonly request: MessageDef;
  readonly response: MessageDef;
  readonly http: { readonly method: string; readonly pattern: string; readonly body?: string };
}

const msg = (name: string, fields: MessageDef['fields']): MessageDef => ({ name, fields });
const m = (def: MessageDef) => ({ message: () => def });
export const Empty: MessageDef = msg('google.protobuf.Empty', []);
const nameNs = (name: string) => msg(name, [field(1, 'name', 'string'), field(2, 'namespace', 'string')]);

const rpcs: Rpc[] = [];
function rpc(
  service: string,
  method: string,
  request: MessageDef,
  response: MessageDef,
  http: Rpc['http'],
): void {
  rpcs.push({ service, method, request, response, http });
}

const ns = '/apis/v1/namespaces/{namespace}';

/** Paging fields of a list request, after the namespace (KubeRay's services differ in their spelling). */
const continueLimit: Paging = [
  ['continue', 'string'],
  ['limit', 'int64'],
];
type Paging = readonly (readonly [name: string, type: FieldType])[];

/**
 * The resource services share one shape: Create (the resource in the body), Get, List (one namespace), ListAll and
 * Delete, with RPC, message and route names made from the resource's names, in this order in the .proto.
 */
function resourceService(r: {
  readonly service: string;
  /** In the method and request names: CreateCluster, GetClusterRequest. */
  readonly noun: string;
  /** In the list request names: ListClustersRequest. */
  readonly nouns: string;
  /** The list method, where KubeRay does not spell it `List<nouns>`. */
  readonly listMethod?: string;
  /** The collection in the route: /apis/v1/namespaces/{namespace}/clusters. */
  readonly path: string;
  /** The proto field of the resource in the create (and update) request. */
  readonly field: string;
  readonly resource: MessageDef;
  readonly paging: Paging;
  readonly list: MessageDef;
  readonly listAll: MessageDef;
  /** RayServeService also has UpdateRayService (after Create). */
  readonly update?: boolean;
}): void {
  const { service, noun, nouns, path, resource } = r;
  const body = jsonName(r.field);
  const one = `${ns}/${path}/{name}`;
  const withBody = (name: string, more: MessageDef['fields']) =>
    msg(name, [field(1, r.field, m(resource)), field(2, 'namespace', 'string'), ...more]);
  const paging = (from: number) => r.paging.map(([name, type], i) => field(from + i, name, type));
  rpc(service, `Create${noun}`, withBody(`Create${noun}Request`, []), resource, {
    method: 'POST',
    pattern: `${ns}/${path}`,
    body,
  });
  if (r.update)
    rpc(service, `Update${noun}`, withBody(`Update${noun}Request`, [field(3, 'name', 'string')]), resource, {
      method: 'PUT',
      pattern: one,
      body,
    });
  rpc(service, `Get${noun}`, nameNs(`Get${noun}Request`), resource, { method: 'GET', pattern: one });
  rpc(
    service,
    r.listMethod ?? `List${nouns}`,
    msg(`List${nouns}Request`, [field(1, 'namespace', 'string'), ...paging(2)]),
    r.list,
    { method: 'GET', pattern: `${ns}/${path}` },
  );
  rpc(service, `ListAll${nouns}`, msg(`ListAll${nouns}Request`, paging(1)), r.listAll, {
    method: 'GET',
    pattern: `/apis/v1/${path}`,
  });
  rpc(service, `Delete${noun}`, nameNs(`Delete${noun}Request`), Empty, { method: 'DELETE', pattern: one });
}

// config.proto, cluster.proto, job.proto, serve.proto
resourceService({
  service: 'ComputeTemplateService',
  noun: 'ComputeTemplate',
  nouns: 'ComputeTemplates',
  path: 'compute_templates',
  field: 'compute_template',
  resource: M.ComputeTemplate,
  paging: [],
  list: M.ListComputeTemplatesResponse,
  listAll: M.ListAllComputeTemplatesResponse,
});
resourceService({
  service: 'ClusterService',
  noun: 'Cluster',
  nouns: 'Clusters',
  listMethod: 'ListCluster',
  path: 'clusters',
  field: 'cluster',
  resource: M.Cluster,
  paging: continueLimit,
  list: M.ListClustersResponse,
  listAll: M.ListAllClustersResponse,
});
resourceService({
  service: 'RayJobService',
  noun: 'RayJob',
  nouns: 'RayJobs',
  path: 'jobs',
  field: 'job',
  resource: M.RayJob,
  paging: continueLimit,
  list: M.ListRayJobsResponse,
  listAll: M.ListAllRayJobsResponse,
});
resourceService({
  service: 'RayServeService',
  noun: 'RayService',
  nouns: 'RayServices',
  path: 'services',
  field: 'service',
  resource: M.RayService,
  paging: [
    ['page_token', 'string'],
    ['page_size', 'int32'],
  ],
  list: M.ListRayServicesResponse,
  listAll: M.ListAllRayServicesResponse,
  update: true,
});

// job_submission.proto
const sub = `${ns}/jobsubmissions/{clustername}`;
const subReq = (name: string) =>
  msg(name, [
    field(1, 'namespace', 'string'),
    field(2, 'clustername', 'string'),
    field(3, 'submissionid', 'string'),
  ]);
rpc(
  'RayJobSubmissionService',
  'SubmitRayJob',
  msg('SubmitRayJobRequest', [
    field(1, 'namespace', 'string'),
    field(2, 'clustername', 'string'),
    field(3, 'jobsubmission', m(M.RayJobSubmission)),
  ]),
  M.SubmitRayJobReply,
  { method: 'POST', pattern: sub, body: 'jobsubmission' },
);
rpc('RayJobSubmissionService', 'GetJobDetails', subReq('GetJobDetailsRequest'), M.JobSubmissionInfo, {
  method: 'GET',
  pattern: `${sub}/{submissionid}`,
});
rpc('RayJobSubmissionService', 'GetJobLog', subReq('GetJobLogRequest'), M.GetJobLogReply, {
  method: 'GET',
  pattern: `${sub}/log/{submissionid}`,
});
rpc(
  'RayJobSubmissionService',
  'ListJobDetails',
  msg('ListJobDetailsRequest', [field(1, 'namespace', 'string'), field(2, 'clustername', 'string')]),
  M.ListJobSubmissionInfo,
  { method: 'GET', pattern: sub },
);
rpc('RayJobSubmissionService', 'StopRayJob', subReq('StopRayJobSubmissionRequest'), Empty, {
  method: 'POST',
  pattern: `${sub}/{submissionid}`,
});
rpc('RayJobSubmissionService', 'DeleteRayJob', subReq('DeleteRayJobSubmissionRequest'), Empty, {
  method: 'DELETE',
  pattern: `${sub}/{submissionid}`,
});

export const RPCS: readonly Rpc[] = rpcs;

/** The path, query and body of the HTTP call a request message maps to (grpc-gateway's rule, in reverse). */
export function httpCall(
  r: Rpc,
  request: Readonly<Record<string, unknown>>,
): { params: Record<string, string>; query: URLSearchParams; body?: unknown } {
  const params: Record<string, string> = {};
  for (const [, name] of r.http.pattern.matchAll(/\{(\w+)\}/g)) params[name!] = String(request[name!] ?? '');
  const query = new URLSearchParams();
  for (const f of r.request.fields) {
    if (f.json in params || f.json === r.http.body) continue;
    const v = request[f.json];
    if (v !== undefined && v !== '' && v !== 0) query.set(f.json, String(v));
  }
  return { params, query, ...(r.http.body ? { body: request[r.http.body] ?? {} } : {}) };
}
