import { defaultFeatureGates } from '../../api/feature-gates.ts';
import type { ConfigFile } from '../../config/file.ts';

/**
 * The operator settings the RayCluster builders read: a subset of the frozen operator config, passed in by the
 * controller so the builders never read the environment. Each field documents KubeRay's default.
 */
export interface BuilderConfig
  extends Pick<
    ConfigFile,
    | 'headSidecarContainers'
    | 'workerSidecarContainers'
    | 'defaultContainerEnvs'
    | 'defaultPodAnnotations'
    | 'defaultPodLabels'
  > {
  /** KUBERAY_VERSION written on the head pod and in usage tags; KubeRay's tree says "nightly". */
  readonly kuberayVersion: string;
  /** CLUSTER_DOMAIN env; default "cluster.local". */
  readonly clusterDomain: string;
  /** ENABLE_DETERMINISTIC_HEAD_POD_NAME; default false. */
  readonly deterministicHeadPodName: boolean;
  /** ENABLE_INIT_CONTAINER_INJECTION; default true. */
  readonly initContainerInjection: boolean;
  /** ENABLE_PROBES_INJECTION; default true. */
  readonly probesInjection: boolean;
  /** ENABLE_LOGIN_SHELL; default false. */
  readonly loginShell: boolean;
  /** ENABLE_RAY_HEAD_CLUSTER_IP_SERVICE; default false (the head service is headless). */
  readonly headClusterIPService: boolean;
  /** ENABLE_GCS_FT_REDIS_CLEANUP; default true. */
  readonly gcsFtRedisCleanup: boolean;
  /** ENABLE_RANDOM_POD_DELETE; default false. */
  readonly randomPodDelete: boolean;
  /** USE_INGRESS_ON_OPENSHIFT; default false. */
  readonly useIngressOnOpenShift: boolean;
  /** Feature gates by name; a gate missing here takes KubeRay's default (see `gateEnabled`). */
  readonly featureGates: Readonly<Record<string, boolean>>;
  /** `--batch-scheduler` name, "" for none. */
  readonly batchScheduler: string;
}

export const gateDefaults: Readonly<Record<string, boolean>> = Object.freeze(defaultFeatureGates());

export function gateEnabled(config: Pick<BuilderConfig, 'featureGates'>, gate: string): boolean {
  return config.featureGates[gate] ?? gateDefaults[gate] ?? false;
}

export const defaultBuilderConfig: BuilderConfig = Object.freeze({
  kuberayVersion: 'nightly',
  clusterDomain: 'cluster.local',
  deterministicHeadPodName: false,
  initContainerInjection: true,
  probesInjection: true,
  loginShell: false,
  headClusterIPService: false,
  gcsFtRedisCleanup: true,
  randomPodDelete: false,
  useIngressOnOpenShift: false,
  headSidecarContainers: [],
  workerSidecarContainers: [],
  defaultContainerEnvs: [],
  defaultPodAnnotations: {},
  defaultPodLabels: {},
  featureGates: {},
  batchScheduler: '',
});
