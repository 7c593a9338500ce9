import type { RouteTable } from '../http/server.ts';
import type { ListCache } from './list-cache.ts';
import { registerClusters } from './routes-clusters.ts';
import { registerJobs, registerServices } from './routes-jobs-services.ts';
import { registerJobSubmissions } from './routes-submissions.ts';
import { registerComputeTemplates } from './routes-templates.ts';

/** Registers the V1 services, on the routes of KubeRay's grpc-gateway. */
export function registerV1(server: RouteTable, cache?: ListCache): void {
  registerComputeTemplates(server);
  registerClusters(server, cache);
  registerJobs(server, cache);
  registerServices(server, cache);
  registerJobSubmissions(server);
}
