/**
 * JSON shapes of KubeRay's API server v1 (`/apis/v1/...`, grpc-gateway over its protobuf messages). Field
 * names are the protobuf JSON names (lowerCamelCase), which the server writes; it reads those and the
 * original snake_case names. 64-bit integers (times in ms, counts) come as strings, as protobuf JSON writes
 * them; enums as numbers or names.
 */

/** A node toleration of a compute template. */
export interface V1Toleration {
  readonly key: string;
  /** `Exists` or `Equal`. */
  readonly operator: string;
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  readonly effect: string;
}

/** A compute template: the resources of a node type, stored by the server as a ConfigMap. */
export interface V1ComputeTemplate {
  readonly name: string;
  readonly namespace: string;
  /** Whole CPUs. */
  readonly cpu: number;
  /** Memory in `memoryUnit` (default Gi). */
  readonly memory: number;
  readonly memoryUnit?: string;
  readonly gpu?: number;
  /** Default `nvidia.com/gpu`. */
  readonly gpuAccelerator?: string;
  readonly extendedResources?: Readonly<Record<string, number>>;
  readonly tolerations?: readonly V1Toleration[];
}

/** A volume of a v1 node spec. `volumeType`: PERSISTENT_VOLUME_CLAIM, HOST_PATH, EPHEMERAL, CONFIGMAP, SECRET, EMPTY_DIR. */
export interface V1Volume {
  readonly name: string;
  readonly mountPath: string;
  readonly volumeType?: string | number;
  readonly source?: string;
  readonly readOnly?: boolean;
  readonly hostPathType?: string | number;
  readonly mountPropagationMode?: string | number;
  readonly storageClassName?: string;
  readonly accessMode?: string | number;
  readonly storage?: string;
  readonly items?: Readonly<Record<string, string>>;
}

/** Container environment: plain values and values from ConfigMaps, Secrets or fields. */
export interface V1EnvironmentVariables {
  readonly values?: Readonly<Record<string, string>>;
  readonly valuesFrom?: Readonly<
    Record<string, { readonly source?: string | number; readonly name?: string; readonly key?: string }>
  >;
}

/** Shared fields of the head and worker specs. */
interface V1NodeSpec {
  /** Name of a compute template in the cluster's namespace. */
  readonly computeTemplate: string;
  readonly image?: string;
  readonly rayStartParams?: Readonly<Record<string, string>>;
  readonly volumes?: readonly V1Volume[];
  readonly serviceAccount?: string;
  readonly imagePullSecret?: string;
  readonly imagePullPolicy?: string;
  readonly environment?: V1EnvironmentVariables;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The head node of a v1 cluster. */
export interface V1HeadGroupSpec extends V1NodeSpec {
  /** ClusterIP, NodePort or LoadBalancer. */
  readonly serviceType?: string;
  readonly enableIngress?: boolean;
}

/** A worker group of a v1 cluster. */
export interface V1WorkerGroupSpec extends V1NodeSpec {
  readonly groupName: string;
  readonly replicas: number;
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
}

/** The in-tree autoscaler's settings of a v1 cluster. */
export interface V1AutoscalerOptions {
  readonly idleTimeoutSeconds?: number;
  /** Conservative, Default or Aggressive. */
  readonly upscalingMode?: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly envs?: V1EnvironmentVariables;
  readonly volumes?: readonly V1Volume[];
}

/** Head, worker groups and autoscaling of a v1 cluster. */
export interface V1ClusterSpec {
  readonly headGroupSpec: V1HeadGroupSpec;
  readonly workerGroupSpec?: readonly V1WorkerGroupSpec[];
  readonly enableInTreeAutoscaling?: boolean;
  readonly autoscalerOptions?: V1AutoscalerOptions;
  readonly headServiceAnnotations?: Readonly<Record<string, string>>;
}

/** An event of a cluster (output). */
export interface V1ClusterEvent {
  readonly id?: string;
  readonly name?: string;
  readonly createdAt?: string;
  readonly firstTimestamp?: string;
  readonly lastTimestamp?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly type?: string;
  readonly count?: number;
}

/** A Ray cluster of the v1 API. Output fields are set by the server. */
export interface V1Cluster {
  readonly name: string;
  readonly namespace: string;
  readonly user: string;
  /** Ray version. */
  readonly version?: string;
  /** DEV, TESTING, STAGING or PRODUCTION (or 0..3). */
  readonly environment?: string | number;
  readonly clusterSpec: V1ClusterSpec;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly envs?: V1EnvironmentVariables;
  /** Output: RFC 3339 times. */
  readonly createdAt?: string;
  readonly deletedAt?: string;
  /** Output: the RayCluster's status.state (`ready` once up). */
  readonly clusterState?: string;
  readonly events?: readonly V1ClusterEvent[];
  /** Output: port name to port of the head service, e.g. `{ dashboard: '8265' }`. */
  readonly serviceEndpoint?: Readonly<Record<string, string>>;
}

/** A RayJob of the v1 API. */
export interface V1RayJob {
  readonly name: string;
  readonly namespace: string;
  readonly user: string;
  readonly entrypoint: string;
  readonly version?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Runtime env as YAML text. */
  readonly runtimeEnv?: string;
  readonly jobId?: string;
  readonly shutdownAfterJobFinishes?: boolean;
  readonly clusterSelector?: Readonly<Record<string, string>>;
  readonly clusterSpec?: V1ClusterSpec;
  readonly ttlSecondsAfterFinished?: number;
  readonly activeDeadlineSeconds?: number;
  readonly entrypointNumCpus?: number;
  readonly entrypointNumGpus?: number;
  readonly entrypointResources?: string;
  readonly jobSubmitter?: { readonly image?: string; readonly cpu?: string; readonly memory?: string };
  /** Output. */
  readonly createdAt?: string;
  readonly deleteAt?: string;
  readonly jobStatus?: string;
  readonly jobDeploymentStatus?: string;
  readonly message?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly rayClusterName?: string;
}

/** A RayService of the v1 API. */
export interface V1RayService {
  readonly name: string;
  readonly namespace: string;
  readonly user: string;
  readonly version?: string;
  /** The Serve config as YAML text (`serve_config_V2` on the wire too). */
  readonly serveConfigV2?: string;
  readonly clusterSpec: V1ClusterSpec;
  readonly serviceUnhealthySecondThreshold?: number;
  readonly deploymentUnhealthySecondThreshold?: number;
  /** Output. */
  readonly rayServiceStatus?: Readonly<Record<string, unknown>>;
  readonly createdAt?: string;
  readonly deleteAt?: string;
}

/** A job to submit to a cluster's Ray (`jobsubmissions`). */
export interface V1JobSubmission {
  readonly entrypoint: string;
  readonly submissionId?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Runtime env as YAML text. */
  readonly runtimeEnv?: string;
  readonly entrypointNumCpus?: number;
  readonly entrypointNumGpus?: number;
  readonly entrypointResources?: Readonly<Record<string, string>>;
}

/** A Ray job's details as the server reports them. Times are ms since the epoch (0 when unknown). */
export interface V1JobSubmissionInfo {
  readonly entrypoint: string;
  readonly jobId: string;
  readonly submissionId: string;
  readonly status: string;
  readonly message: string;
  readonly errorType: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly runtimeEnv: Readonly<Record<string, string>>;
}

/** A page of a list with `page_token`/`page_size` (services) or `continue`/`limit` (clusters, jobs). */
export interface V1Page<T> {
  readonly items: T[];
  /** Pass as the next call's `pageToken`/`continue`; empty when this was the last page. */
  readonly next: string;
}
