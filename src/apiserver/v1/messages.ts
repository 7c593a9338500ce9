import { type EnumDef, field, type MessageDef } from './proto-json.ts';

/**
 * Descriptors of KubeRay's V1 messages (package `proto`: cluster.proto, config.proto, job.proto, serve.proto,
 * job_submission.proto): names, JSON names, numbers and types. One table serves JSON decoding and encoding.
 */
const msg = (name: string, fields: MessageDef['fields']): MessageDef => ({ name, fields });
const en = (name: string, values: Record<string, number>): EnumDef => ({ name, values });

export const Environment = en('Cluster.Environment', { DEV: 0, TESTING: 1, STAGING: 2, PRODUCTION: 3 });
export const VolumeType = en('Volume.VolumeType', {
  PERSISTENT_VOLUME_CLAIM: 0,
  HOST_PATH: 1,
  EPHEMERAL: 2,
  CONFIGMAP: 3,
  SECRET: 4,
  EMPTY_DIR: 5,
});
export const HostPathType = en('Volume.HostPathType', { DIRECTORY: 0, FILE: 1 });
export const MountPropagationMode = en('Volume.MountPropagationMode', {
  NONE: 0,
  HOSTTOCONTAINER: 1,
  BIDIRECTIONAL: 2,
});
export const AccessMode = en('Volume.AccessMode', { RWO: 0, ROX: 1, RWX: 2 });
export const EnvSource = en('EnvValueFrom.Source', { CONFIGMAP: 0, SECRET: 1, RESOURCEFIELD: 2, FIELD: 3 });

/** A field holding another message (`of` is a thunk: messages refer to each other before they are defined). */
const ref = (n: number, name: string, of: () => MessageDef, repeated = false) =>
  field(n, name, { message: of }, repeated);

// config.proto
export const PodToleration: MessageDef = msg('PodToleration', [
  field(1, 'key', 'string'),
  field(2, 'operator', 'string'),
  field(3, 'value', 'string'),
  field(4, 'effect', 'string'),
]);
export const ComputeTemplate: MessageDef = msg('ComputeTemplate', [
  field(1, 'name', 'string'),
  field(2, 'namespace', 'string'),
  field(3, 'cpu', 'uint32'),
  field(4, 'memory', 'uint32'),
  field(5, 'gpu', 'uint32'),
  field(6, 'gpu_accelerator', 'string'),
  ref(7, 'tolerations', () => PodToleration, true),
  field(8, 'extended_resources', { map: 'uint32' }),
  field(9, 'memory_unit', 'string'),
]);
export const ListComputeTemplatesResponse = msg('ListComputeTemplatesResponse', [
  ref(1, 'compute_templates', () => ComputeTemplate, true),
]);
export const ListAllComputeTemplatesResponse = msg(
  'ListAllComputeTemplatesResponse',
  ListComputeTemplatesResponse.fields,
);

// cluster.proto
export const EnvValueFrom: MessageDef = msg('EnvValueFrom', [
  field(1, 'source', { enum: EnvSource }),
  field(2, 'name', 'string'),
  field(3, 'key', 'string'),
]);
export const EnvironmentVariables: MessageDef = msg('EnvironmentVariables', [
  field(1, 'values', { map: 'string' }),
  field(2, 'valuesFrom', { map: { message: () => EnvValueFrom } }),
]);
export const Volume: MessageDef = msg('Volume', [
  field(1, 'mount_path', 'string'),
  field(2, 'volume_type', { enum: VolumeType }),
  field(3, 'name', 'string'),
  field(4, 'source', 'string'),
  field(5, 'read_only', 'bool'),
  field(6, 'host_path_type', { enum: HostPathType }),
  field(7, 'mount_propagation_mode', { enum: MountPropagationMode }),
  field(8, 'storageClassName', 'string'),
  field(9, 'accessMode', { enum: AccessMode }),
  field(10, 'storage', 'string'),
  field(11, 'items', { map: 'string' }),
]);
export const Capabilities: MessageDef = msg('Capabilities', [
  field(1, 'add', 'string', true),
  field(2, 'drop', 'string', true),
]);
export const SecurityContext: MessageDef = msg('SecurityContext', [
  ref(1, 'capabilities', () => Capabilities),
  { ...field(2, 'privileged', 'bool'), optional: true },
]);
export const HeadGroupSpec: MessageDef = msg('HeadGroupSpec', [
  field(1, 'compute_template', 'string'),
  field(2, 'image', 'string'),
  field(3, 'service_type', 'string'),
  field(4, 'enableIngress', 'bool'),
  field(5, 'ray_start_params', { map: 'string' }),
  ref(6, 'volumes', () => Volume, true),
  field(7, 'service_account', 'string'),
  field(8, 'image_pull_secret', 'string'),
  ref(9, 'environment', () => EnvironmentVariables),
  field(10, 'annotations', { map: 'string' }),
  field(11, 'labels', { map: 'string' }),
  field(12, 'imagePullPolicy', 'string'),
  ref(13, 'security_context', () => SecurityContext),
]);
export const WorkerGroupSpec: MessageDef = msg('WorkerGroupSpec', [
  field(1, 'group_name', 'string'),
  field(2, 'compute_template', 'string'),
  field(3, 'image', 'string'),
  field(4, 'replicas', 'int32'),
  field(5, 'min_replicas', 'int32'),
  field(6, 'max_replicas', 'int32'),
  field(7, 'ray_start_params', { map: 'string' }),
  ref(8, 'volumes', () => Volume, true),
  field(9, 'service_account', 'string'),
  field(10, 'image_pull_secret', 'string'),
  ref(11, 'environment', () => EnvironmentVariables),
  field(12, 'annotations', { map: 'string' }),
  field(13, 'labels', { map: 'string' }),
  field(14, 'imagePullPolicy', 'string'),
  ref(15, 'security_context', () => SecurityContext),
]);
export const AutoscalerOptions: MessageDef = msg('AutoscalerOptions', [
  field(1, 'idleTimeoutSeconds', 'int32'),
  field(2, 'upscalingMode', 'string'),
  field(3, 'image', 'string'),
  field(4, 'imagePullPolicy', 'string'),
  field(5, 'cpu', 'string'),
  field(6, 'memory', 'string'),
  ref(7, 'envs', () => EnvironmentVariables),
  ref(8, 'volumes', () => Volume, true),
]);
export const ClusterSpec: MessageDef = msg('ClusterSpec', [
  ref(1, 'head_group_spec', () => HeadGroupSpec),
  ref(2, 'worker_group_spec', () => WorkerGroupSpec, true),
  field(3, 'enableInTreeAutoscaling', 'bool'),
  ref(4, 'autoscalerOptions', () => AutoscalerOptions),
]);
export const ClusterEvent: MessageDef = msg('ClusterEvent', [
  field(1, 'id', 'string'),
  field(2, 'name', 'string'),
  field(3, 'created_at', 'timestamp'),
  field(4, 'first_timestamp', 'timestamp'),
  field(5, 'last_timestamp', 'timestamp'),
  field(6, 'reason', 'string'),
  field(7, 'message', 'string'),
  field(8, 'type', 'string'),
  field(9, 'count', 'int32'),
]);
export const Cluster: MessageDef = msg('Cluster', [
  field(1, 'name', 'string'),
  field(2, 'namespace', 'string'),
  field(3, 'user', 'string'),
  field(4, 'version', 'string'),
  field(5, 'environment', { enum: Environment }),
  ref(6, 'cluster_spec', () => ClusterSpec),
  field(7, 'annotations', { map: 'string' }),
  ref(8, 'envs', () => EnvironmentVariables),
  field(9, 'created_at', 'timestamp'),
  field(10, 'deleted_at', 'timestamp'),
  field(11, 'cluster_state', 'string'),
  ref(12, 'events', () => ClusterEvent, true),
  field(13, 'service_endpoint', { map: 'string' }),
]);
export const ListClustersResponse = msg('ListClustersResponse', [
  ref(1, 'clusters', () => Cluster, true),
  field(2, 'continue', 'string'),
]);
export const ListAllClustersResponse = msg('ListAllClustersResponse', ListClustersResponse.fields);

// job.proto
export const RayJobSubmitter: MessageDef = msg('RayJobSubmitter', [
  field(1, 'image', 'string'),
  field(2, 'cpu', 'string'),
  field(3, 'memory', 'string'),
]);
export const RayJob: MessageDef = msg('RayJob', [
  field(1, 'name', 'string'),
  field(2, 'namespace', 'string'),
  field(3, 'user', 'string'),
  field(21, 'version', 'string'),
  field(4, 'entrypoint', 'string'),
  field(5, 'metadata', { map: 'string' }),
  field(6, 'runtime_env', 'string'),
  field(7, 'job_id', 'string'),
  field(8, 'shutdown_after_job_finishes', 'bool'),
  field(9, 'cluster_selector', { map: 'string' }),
  ref(10, 'cluster_spec', () => ClusterSpec),
  field(11, 'ttl_seconds_after_finished', 'int32'),
  ref(17, 'jobSubmitter', () => RayJobSubmitter),
  field(18, 'entrypointNumCpus', 'float'),
  field(19, 'entrypointNumGpus', 'float'),
  field(20, 'entrypointResources', 'string'),
  field(25, 'activeDeadlineSeconds', 'int32'),
  field(12, 'created_at', 'timestamp'),
  field(13, 'delete_at', 'timestamp'),
  field(14, 'job_status', 'string'),
  field(15, 'job_deployment_status', 'string'),
  field(16, 'message', 'string'),
  field(22, 'start_time', 'timestamp'),
  field(23, 'end_time', 'timestamp'),
  field(24, 'ray_cluster_name', 'string'),
]);
export const ListRayJobsResponse = msg('ListRayJobsResponse', [
  ref(1, 'jobs', () => RayJob, true),
  field(2, 'continue', 'string'),
]);
export const ListAllRayJobsResponse = msg('ListAllRayJobsResponse', ListRayJobsResponse.fields);

// serve.proto
export const ServeDeploymentStatus: MessageDef = msg('ServeDeploymentStatus', [
  field(1, 'deployment_name', 'string'),
  field(2, 'status', 'string'),
  field(3, 'message', 'string'),
]);
export const ServeApplicationStatus: MessageDef = msg('ServeApplicationStatus', [
  field(1, 'name', 'string'),
  field(2, 'status', 'string'),
  field(3, 'message', 'string'),
  ref(4, 'serve_deployment_status', () => ServeDeploymentStatus, true),
]);
export const RayServiceEvent: MessageDef = msg('RayServiceEvent', ClusterEvent.fields);
export const RayServiceStatus: MessageDef = msg('RayServiceStatus', [
  field(1, 'application_status', 'string'),
  field(2, 'application_message', 'string'),
  ref(3, 'serve_deployment_status', () => ServeDeploymentStatus, true),
  ref(4, 'ray_service_events', () => RayServiceEvent, true),
  field(5, 'ray_cluster_name', 'string'),
  field(6, 'ray_cluster_state', 'string'),
  field(7, 'service_endpoint', { map: 'string' }),
  ref(8, 'serve_application_status', () => ServeApplicationStatus, true),
]);
export const RayService: MessageDef = msg('RayService', [
  field(1, 'name', 'string'),
  field(2, 'namespace', 'string'),
  field(3, 'user', 'string'),
  field(12, 'version', 'string'),
  field(9, 'serve_config_V2', 'string'),
  field(10, 'service_unhealthy_second_threshold', 'int32'),
  field(11, 'deployment_unhealthy_second_threshold', 'int32'),
  ref(5, 'cluster_spec', () => ClusterSpec),
  ref(6, 'ray_service_status', () => RayServiceStatus),
  field(7, 'created_at', 'timestamp'),
  field(8, 'delete_at', 'timestamp'),
]);
export const ListRayServicesResponse = msg('ListRayServicesResponse', [
  ref(1, 'services', () => RayService, true),
  field(2, 'total_size', 'int32'),
  field(3, 'next_page_token', 'string'),
]);
export const ListAllRayServicesResponse = msg('ListAllRayServicesResponse', ListRayServicesResponse.fields);

// job_submission.proto
export const RayJobSubmission: MessageDef = msg('RayJobSubmission', [
  field(1, 'entrypoint', 'string'),
  field(2, 'submission_id', 'string'),
  field(3, 'metadata', { map: 'string' }),
  field(4, 'runtime_env', 'string'),
  field(5, 'entrypoint_num_cpus', 'float'),
  field(6, 'entrypoint_num_gpus', 'float'),
  field(7, 'entrypoint_resources', { map: 'string' }),
]);
export const SubmitRayJobReply = msg('SubmitRayJobReply', [field(1, 'submission_id', 'string')]);
export const JobSubmissionInfo: MessageDef = msg('JobSubmissionInfo', [
  field(1, 'entrypoint', 'string'),
  field(2, 'job_id', 'string'),
  field(3, 'submission_id', 'string'),
  field(4, 'status', 'string'),
  field(5, 'message', 'string'),
  field(6, 'error_type', 'string'),
  field(7, 'start_time', 'uint64'),
  field(8, 'end_time', 'uint64'),
  field(9, 'metadata', { map: 'string' }),
  field(10, 'runtime_env', { map: 'string' }),
]);
export const ListJobSubmissionInfo = msg('ListJobSubmissionInfo', [
  ref(1, 'submissions', () => JobSubmissionInfo, true),
]);
export const GetJobLogReply = msg('GetJobLogReply', [field(1, 'log', 'string')]);
