import { parse as parseYaml } from 'yaml';
import { Resources } from '../../k8s/resources.ts';
import { errorMessage } from '../../lib/errors.ts';
import { DashboardError, HttpDashboardClient, JobNotFoundError } from '../../ray/dashboard-client.ts';
import { proxyTransport, serviceProxyPath } from '../../ray/transport.ts';
import type { RayJobInfo, RayJobRequest } from '../../ray/types.ts';
import type { Reply, RequestContext, RouteTable } from '../http/server.ts';
import { Code, RpcError } from '../http/status.ts';
import { body, empty, getManaged, type Msg, reply, rpc } from './common.ts';
import { invalidInput, wrap } from './errors.ts';
import {
  GetJobLogReply,
  JobSubmissionInfo,
  ListJobSubmissionInfo,
  RayJobSubmission,
  SubmitRayJobReply,
} from './messages.ts';
import { validateSubmission } from './validation.ts';

const S = 'RayJobSubmissionService';

/** The Ray Jobs request of a RayJobSubmission message (runtime env YAML parsed, resources as numbers). */
function submissionToRequest(s: Msg): RayJobRequest {
  let runtimeEnv: Record<string, unknown> | undefined;
  const yamlText = typeof s.runtimeEnv === 'string' ? s.runtimeEnv : '';
  if (yamlText.trim()) {
    let parsed: unknown;
    try {
      parsed = parseYaml(yamlText);
    } catch (err) {
      throw invalidInput(`runtimeEnv is not valid YAML: ${errorMessage(err)}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw invalidInput('runtimeEnv must be a YAML mapping');
    runtimeEnv = parsed as Record<string, unknown>;
  }
  const resources: Record<string, number> = {};
  for (const [k, v] of Object.entries((s.entrypointResources as Record<string, string> | undefined) ?? {})) {
    const n = Number(v);
    if (v.trim() === '' || Number.isNaN(n))
      throw invalidInput(`entrypointResources["${k}"]: "${v}" is not a number`);
    resources[k] = n;
  }
  const metadata = s.metadata as Record<string, string> | undefined;
  return {
    entrypoint: String(s.entrypoint ?? ''),
    ...(s.submissionId ? { submission_id: String(s.submissionId) } : {}),
    ...(runtimeEnv ? { runtime_env: runtimeEnv } : {}),
    ...(metadata && Object.keys(metadata).length ? { metadata } : {}),
    ...(typeof s.entrypointNumCpus === 'number' && s.entrypointNumCpus > 0
      ? { entrypoint_num_cpus: s.entrypointNumCpus }
      : {}),
    ...(typeof s.entrypointNumGpus === 'number' && s.entrypointNumGpus > 0
      ? { entrypoint_num_gpus: s.entrypointNumGpus }
      : {}),
    ...(Object.keys(resources).length ? { entrypoint_resources: resources } : {}),
  };
}

/** JobSubmissionInfo of a Ray job (runtime env values as strings, as the proto map holds them). */
function jobInfoToApi(i: RayJobInfo): Msg {
  return {
    entrypoint: i.entrypoint ?? '',
    jobId: i.job_id ?? '',
    submissionId: i.submission_id ?? '',
    status: i.status ?? '',
    message: i.message ?? '',
    errorType: i.error_type ?? '',
    startTime: i.start_time ?? 0,
    endTime: i.end_time ?? 0,
    metadata: i.metadata ?? {},
    runtimeEnv: Object.fromEntries(
      Object.entries(i.runtime_env ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
  };
}

/** The dashboard of a ready, API-server-managed cluster, reached through the Kubernetes service proxy as the caller. */
async function dashboard(ctx: RequestContext): Promise<HttpDashboardClient> {
  const { namespace, clustername } = ctx.params as { namespace: string; clustername: string };
  let rc: Msg & { status?: { state?: string; head?: { serviceName?: string } } };
  try {
    rc = (await getManaged(ctx.kube, Resources.rayClusters, namespace, clustername, {
      notFound: `Cluster ${clustername} not found`,
      failed: 'Get Cluster failed',
      kind: 'RayCluster',
    })) as typeof rc;
  } catch (err) {
    throw wrap(err, 'Get cluster failed.');
  }
  if (rc.status?.state !== 'ready') throw new RpcError(Code.FailedPrecondition, 'cluster is not ready');
  const service = rc.status?.head?.serviceName || `${clustername}-head-svc`;
  return new HttpDashboardClient({
    transport: proxyTransport(ctx.kube.rest, serviceProxyPath(namespace, service)),
  });
}

function dashboardFailure(err: unknown, what: string): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof JobNotFoundError) return new RpcError(Code.NotFound, `${what}: ${err.message}`);
  if (err instanceof DashboardError && (err.status === 401 || err.status === 403))
    return new RpcError(Code.PermissionDenied, `${what}: ${err.message}`);
  return new RpcError(Code.Internal, `${what}: ${errorMessage(err)}`);
}

/** RayJobSubmissionService: Ray's job API on a cluster's dashboard. */
export function registerJobSubmissions(server: RouteTable): void {
  const base = '/apis/v1/namespaces/{namespace}/jobsubmissions/{clustername}';
  const access = (verb: string) => (p: Readonly<Record<string, string>>) => [
    { verb: 'get', group: 'ray.io', resource: 'rayclusters', namespace: p.namespace!, name: p.clustername! },
    { verb, group: '', resource: 'services', subresource: 'proxy', namespace: p.namespace! },
  ];
  server.add(
    'POST',
    base,
    rpc(S, 'SubmitRayJob', access('create'), async (ctx) => {
      const s = await body(ctx, RayJobSubmission, 'jobsubmission');
      const bad = validateSubmission(s);
      if (bad) throw bad.wrap('Validate job submission request failed.');
      const request = submissionToRequest(s);
      const client = await dashboard(ctx);
      try {
        return reply(SubmitRayJobReply, { submissionId: await client.submitJob(request) });
      } catch (err) {
        throw dashboardFailure(err, 'Failed to submit job');
      }
    }),
  );
  /** A call of the cluster's dashboard; its failure is reported as `failure: <reason>`. */
  const dashboardCall = (
    method: string,
    path: string,
    name: string,
    verb: string,
    failure: string,
    call: (client: HttpDashboardClient, submissionId: string) => Promise<Reply>,
  ) =>
    server.add(
      method,
      path,
      rpc(S, name, access(verb), async (ctx) => {
        const client = await dashboard(ctx);
        try {
          return await call(client, ctx.params.submissionid!);
        } catch (err) {
          throw dashboardFailure(err, failure);
        }
      }),
    );
  const one = `${base}/{submissionid}`;
  dashboardCall('GET', one, 'GetJobDetails', 'get', 'Failed to get job details', async (client, id) =>
    reply(JobSubmissionInfo, jobInfoToApi(await client.getJobInfo(id))),
  );
  const log = `${base}/log/{submissionid}`;
  dashboardCall('GET', log, 'GetJobLog', 'get', 'Failed to get job log', async (client, id) => {
    const text = await client.getJobLogs(id);
    if (text === undefined) throw new JobNotFoundError(id);
    return reply(GetJobLogReply, { log: text });
  });
  dashboardCall('GET', base, 'ListJobDetails', 'get', 'Failed to list jobs', async (client) =>
    reply(ListJobSubmissionInfo, { submissions: (await client.listJobs()).map(jobInfoToApi) }),
  );
  dashboardCall('POST', one, 'StopRayJob', 'create', 'Failed to stop job', async (client, id) => {
    await client.stopJob(id);
    return empty();
  });
  dashboardCall('DELETE', one, 'DeleteRayJob', 'delete', 'Failed to delete job', async (client, id) => {
    await client.deleteJob(id);
    return empty();
  });
}
