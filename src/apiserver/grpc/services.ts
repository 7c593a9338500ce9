import * as M from '../v1/messages.ts';
import { field, type MessageDef } from '../v1/proto-json.ts';

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

// config.proto
rpc(
  'ComputeTemplateService',
  'CreateComputeTemplate',
  msg('CreateComputeTemplateRequest', [
    field(1, 'compute_template', m(M.ComputeTemplate)),
    field(2, 'namespace', 'string'),
  ]),
  M.ComputeTemplate,
  { method: 'POST', pattern: `${ns}/compute_templates`, body: 'computeTemplate' },
);
rpc('ComputeTemplateService', 'GetComputeTemplate', nameNs('GetComputeTemplateRequest'), M.ComputeTemplate, {
  method: 'GET',
  pattern: `${ns}/compute_templates/{name}`,
});
rpc(
  'ComputeTemplateService',
  'ListComputeTemplates',
  msg('ListComputeTemplatesRequest', [field(1, 'namespace', 'string')]),
  M.ListComputeTemplatesResponse,
  { method: 'GET', pattern: `${ns}/compute_templates` },
);
rpc(
  'ComputeTemplateService',
  'ListAllComputeTemplates',
  msg('ListAllComputeTemplatesRequest', []),
  M.ListAllComputeTemplatesResponse,
  { method: 'GET', pattern: '/apis/v1/compute_templates' },
);
rpc('ComputeTemplateService', 'DeleteComputeTemplate', nameNs('DeleteComputeTemplateRequest'), Empty, {
  method: 'DELETE',
  pattern: `${ns}/compute_templates/{name}`,
});

// cluster.proto
rpc(
  'ClusterService',
  'CreateCluster',
  msg('CreateClusterRequest', [field(1, 'cluster', m(M.Cluster)), field(2, 'namespace', 'string')]),
  M.Cluster,
  { method: 'POST', pattern: `${ns}/clusters`, body: 'cluster' },
);
rpc('ClusterService', 'GetCluster', nameNs('GetClusterRequest'), M.Cluster, {
  method: 'GET',
  pattern: `${ns}/clusters/{name}`,
});
rpc(
  'ClusterService',
  'ListCluster',
  msg('ListClustersRequest', [
    field(1, 'namespace', 'string'),
    field(2, 'continue', 'string'),
    field(3, 'limit', 'int64'),
  ]),
  M.ListClustersResponse,
  { method: 'GET', pattern: `${ns}/clusters` },
);
rpc(
  'ClusterService',
  'ListAllClusters',
  msg('ListAllClustersRequest', [field(1, 'continue', 'string'), field(2, 'limit', 'int64')]),
  M.ListAllClustersResponse,
  { method: 'GET', pattern: '/apis/v1/clusters' },
);
rpc('ClusterService', 'DeleteCluster', nameNs('DeleteClusterRequest'), Empty, {
  method: 'DELETE',
  pattern: `${ns}/clusters/{name}`,
});

// job.proto
rpc(
  'RayJobService',
  'CreateRayJob',
  msg('CreateRayJobRequest', [field(1, 'job', m(M.RayJob)), field(2, 'namespace', 'string')]),
  M.RayJob,
  { method: 'POST', pattern: `${ns}/jobs`, body: 'job' },
);
rpc('RayJobService', 'GetRayJob', nameNs('GetRayJobRequest'), M.RayJob, {
  method: 'GET',
  pattern: `${ns}/jobs/{name}`,
});
rpc(
  'RayJobService',
  'ListRayJobs',
  msg('ListRayJobsRequest', [
    field(1, 'namespace', 'string'),
    field(2, 'continue', 'string'),
    field(3, 'limit', 'int64'),
  ]),
  M.ListRayJobsResponse,
  { method: 'GET', pattern: `${ns}/jobs` },
);
rpc(
  'RayJobService',
  'ListAllRayJobs',
  msg('ListAllRayJobsRequest', [field(1, 'continue', 'string'), field(2, 'limit', 'int64')]),
  M.ListAllRayJobsResponse,
  { method: 'GET', pattern: '/apis/v1/jobs' },
);
rpc('RayJobService', 'DeleteRayJob', nameNs('DeleteRayJobRequest'), Empty, {
  method: 'DELETE',
  pattern: `${ns}/jobs/{name}`,
});

// serve.proto
rpc(
  'RayServeService',
  'CreateRayService',
  msg('CreateRayServiceRequest', [field(1, 'service', m(M.RayService)), field(2, 'namespace', 'string')]),
  M.RayService,
  { method: 'POST', pattern: `${ns}/services`, body: 'service' },
);
rpc(
  'RayServeService',
  'UpdateRayService',
  msg('UpdateRayServiceRequest', [
    field(1, 'service', m(M.RayService)),
    field(2, 'namespace', 'string'),
    field(3, 'name', 'string'),
  ]),
  M.RayService,
  { method: 'PUT', pattern: `${ns}/services/{name}`, body: 'service' },
);
rpc('RayServeService', 'GetRayService', nameNs('GetRayServiceRequest'), M.RayService, {
  method: 'GET',
  pattern: `${ns}/services/{name}`,
});
rpc(
  'RayServeService',
  'ListRayServices',
  msg('ListRayServicesRequest', [
    field(1, 'namespace', 'string'),
    field(2, 'page_token', 'string'),
    field(3, 'page_size', 'int32'),
  ]),
  M.ListRayServicesResponse,
  { method: 'GET', pattern: `${ns}/services` },
);
rpc(
  'RayServeService',
  'ListAllRayServices',
  msg('ListAllRayServicesRequest', [field(1, 'page_token', 'string'), field(2, 'page_size', 'int32')]),
  M.ListAllRayServicesResponse,
  { method: 'GET', pattern: '/apis/v1/services' },
);
rpc('RayServeService', 'DeleteRayService', nameNs('DeleteRayServiceRequest'), Empty, {
  method: 'DELETE',
  pattern: `${ns}/services/{name}`,
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
