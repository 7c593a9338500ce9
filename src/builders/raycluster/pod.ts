import {
  type Container,
  controllerOwnerReference,
  type EnvVar,
  Kinds,
  type ObjectMeta,
  type OwnerReference,
  type Pod,
  type RayCluster,
  type Volume,
} from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { applyAuth, k8sTokenAuth, tokenVolume } from './auth.ts';
import type { BuilderConfig } from './config.ts';
import { gateEnabled } from './config.ts';
import { annotation, defaultPorts, label, rayLogsVolume, sharedMemVolume } from './constants.ts';
import {
  autoscalerContainer,
  autoscalerV2,
  autoscalingEnabled,
  waitGcsReadyContainer,
} from './containers.ts';
import { appendEnvIfAbsent, fieldRef, hasMountAt } from './env.ts';
import { applyHeadGcsFt, applyWorkerGcsFt, gcsFtEnabled } from './gcs-ft.ts';
import { clusterSpecHash } from './hash.ts';
import {
  appendHistoryRayEnv,
  collectorContainer,
  collectorContainerName,
  historyCollectorEnabled,
} from './history.ts';
import { creatorCrd, podLabels } from './labels.ts';
import {
  checkName,
  headFqdn,
  headPodGenerateName,
  headPort,
  podName,
  rayIp,
  workerPodGenerateName,
} from './names.ts';
import { injectProbes } from './probes.ts';
import {
  addContainerResourceParams,
  containerCommand,
  groupStartParams,
  rayStartCommand,
} from './ray-start.ts';
import { applyTls, tlsEnabled, tlsVolume, waitForTlsIpSanContainer, waitForTlsIpSanName } from './tls.ts';

export interface WorkerPodIndex {
  /** `ray.io/worker-group-replica-index` (multi-host indexing gate). */
  readonly replicaIndex?: number;
  /** `ray.io/worker-group-replica-name`, multi-host only. */
  readonly replicaName?: string;
  /** `ray.io/replica-host-index`, multi-host only. */
  readonly hostIndex?: number;
}

export function ownerReference(rc: RayCluster): OwnerReference {
  return controllerOwnerReference(Kinds.RayCluster, rc.metadata);
}

/** The metadata of an object the RayCluster controls: name, the cluster's namespace, labels, annotations, owner. */
export function ownedMetadata(
  rc: RayCluster,
  name: string,
  labels: Record<string, string>,
  annotations?: Record<string, string>,
): ObjectMeta {
  return {
    name,
    namespace: rc.metadata.namespace,
    labels,
    ...(annotations ? { annotations } : {}),
    ownerReferences: [ownerReference(rc)],
  };
}

function overwriteCmd(rc: RayCluster): boolean {
  return rc.metadata.annotations?.[annotation.overwriteContainerCmd]?.toLowerCase() === 'true';
}

interface Common {
  readonly nodeType: 'head' | 'worker';
  readonly group: string;
  readonly template: RayCluster['spec']['headGroupSpec']['template'];
  readonly params: Record<string, string>;
  readonly resources: Record<string, string> | undefined;
  readonly groupLabels: Record<string, string> | undefined;
}

/** Builds the head pod. The result has `generateName` (or a fixed name) and no status. */
export function buildHeadPod(rc: RayCluster, config: BuilderConfig): Pod {
  const head = rc.spec.headGroupSpec;
  return buildPod(rc, config, {
    nodeType: 'head',
    group: '',
    template: head.template,
    params: head.rayStartParams ?? {},
    resources: head.resources,
    groupLabels: head.labels,
  });
}

/** Builds one worker pod of the group at `groupIndex`. */
export function buildWorkerPod(
  rc: RayCluster,
  config: BuilderConfig,
  groupIndex: number,
  index: WorkerPodIndex = {},
): Pod {
  const g = rc.spec.workerGroupSpecs?.[groupIndex];
  if (!g) throw new RangeError(`worker group index ${groupIndex} out of range`);
  const pod = buildPod(rc, config, {
    nodeType: 'worker',
    group: g.groupName,
    template: g.template,
    params: g.rayStartParams ?? {},
    resources: g.resources,
    groupLabels: g.labels,
  });
  const labels = pod.metadata.labels!;
  if (gateEnabled(config, 'RayMultiHostIndexing')) {
    if (index.replicaIndex !== undefined) labels[label.replicaIndex] = String(index.replicaIndex);
    if (index.replicaName !== undefined) labels[label.replicaName] = index.replicaName;
    if (index.hostIndex !== undefined) labels[label.hostIndex] = String(index.hostIndex);
  }
  return pod;
}

function buildPod(rc: RayCluster, config: BuilderConfig, c: Common): Pod {
  const cluster = rc.metadata.name ?? '';
  const ns = rc.metadata.namespace ?? '';
  const head = c.nodeType === 'head';
  const template = copyJson(c.template);
  const spec = template.spec;
  const fqdn = headFqdn(rc, config.clusterDomain);
  const port = headPort(rc);
  const userRay = copyJson(spec.containers[0]!);

  // 1-2: rayStartParams.
  let params = groupStartParams(c, `${fqdn}:${port}`);

  let ray: Container = copyJson(userRay);
  const annotations: Record<string, string> = { ...template.metadata?.annotations };
  let extraVolumes: Volume[] = [];
  const extraContainers: Container[] = [];

  const tls = tlsEnabled(rc, config);
  const history = historyCollectorEnabled(rc, config);

  // 3: autoscaler.
  const autoscaling = autoscalingEnabled(rc);
  const v2 = autoscaling && autoscalerV2(rc);
  if (head && autoscaling) {
    params['no-monitor'] = 'true';
    spec.serviceAccountName = checkName(spec.serviceAccountName || cluster);
    const version = rc.spec.autoscalerOptions?.version;
    if (version === 'v2' || version === 'v1')
      ray.env = [...(ray.env ?? []), { name: 'RAY_enable_autoscaler_v2', value: String(version === 'v2') }];
    extraContainers.push(autoscalerContainer(rc, userRay, config.loginShell, tls));
  }
  if (v2) spec.restartPolicy = 'Never';

  // 4: GCS fault tolerance.
  if (head) {
    const ft = applyHeadGcsFt(rc, ray, params);
    ray = ft.container;
    params = ft.params;
    Object.assign(annotations, ft.annotations);
    extraVolumes = extraVolumes.concat(ft.volumes);
  } else {
    ray = applyWorkerGcsFt(rc, ray);
  }

  // 5: metrics port.
  if (!(ray.ports ?? []).some((p) => p.name === 'metrics'))
    ray.ports = [...(ray.ports ?? []), { name: 'metrics', containerPort: defaultPorts.metrics }];

  // 6: token auth, mTLS, history collector.
  ray = applyAuth(ray, rc);
  if (k8sTokenAuth(rc)) extraVolumes.push(tokenVolume());
  if (tls) {
    ray = applyTls(ray);
    extraVolumes.push(tlsVolume(cluster, c.nodeType));
  }
  if (history) extraContainers.push(collectorContainer(rc, c.nodeType, fqdn));

  // Command and env.
  params = addContainerResourceParams(params, ray);
  const rayStart = rayStartCommand(c.nodeType, params);
  Object.assign(ray, containerCommand(ray, rayStart, overwriteCmd(rc), config.loginShell));
  ray.env = rayContainerEnv(rc, config, ray.env ?? [], head, fqdn, port, rayStart);
  if (history) appendHistoryRayEnv(ray.env);

  // Probes.
  if (config.probesInjection)
    ray = injectProbes(ray, {
      nodeType: c.nodeType,
      rayVersion: rc.spec.rayVersion,
      params,
      rayService: creatorCrd(rc) === 'RayService',
    });

  // Init containers: wait-for-tls-ip-san (mTLS), user's, then wait-gcs-ready (workers); all get FQ_RAY_IP and RAY_IP.
  const inits = [...(spec.initContainers ?? [])];
  if (!head && config.initContainerInjection)
    inits.push(waitGcsReadyContainer(rc, userRay, `${fqdn}:${port}`, config.loginShell, tls));
  if (tls && !inits.some((ic) => ic.name === waitForTlsIpSanName))
    inits.unshift(waitForTlsIpSanContainer(userRay));
  spec.initContainers = inits.map((ic) => ({
    ...ic,
    env: [...(ic.env ?? []), { name: 'FQ_RAY_IP', value: fqdn }, { name: 'RAY_IP', value: rayIp(fqdn) }],
  }));
  if (spec.initContainers.length === 0) delete spec.initContainers;

  // Containers: ray, user, autoscaler, history collector, operator sidecars.
  const sidecars = copyJson([...(head ? config.headSidecarContainers : config.workerSidecarContainers)]);
  let containers = [ray, ...spec.containers.slice(1), ...extraContainers, ...sidecars];

  // Volumes: shared memory, ray-logs (head with autoscaler), FT and token volumes.
  const volumes = [...(spec.volumes ?? [])];
  const memory = ray.resources?.limits?.memory ?? ray.resources?.requests?.memory;
  if (params['plasma-directory'] === undefined && !hasMountAt(ray, '/dev/shm')) {
    if (!volumes.some((v) => v.name === sharedMemVolume))
      volumes.push({
        name: sharedMemVolume,
        emptyDir: { medium: 'Memory', ...(memory !== undefined ? { sizeLimit: memory } : {}) },
      });
    containers[0] = {
      ...containers[0]!,
      volumeMounts: [
        ...(containers[0]!.volumeMounts ?? []),
        { name: sharedMemVolume, mountPath: '/dev/shm' },
      ],
    };
  }
  if ((head && autoscaling) || history) {
    const sharing = new Set([
      ...(head && autoscaling ? ['autoscaler'] : []),
      ...(history ? [collectorContainerName] : []),
    ]);
    if (!volumes.some((v) => v.name === rayLogsVolume)) volumes.push({ name: rayLogsVolume, emptyDir: {} });
    containers = containers.map((ct, i) =>
      (i === 0 || sharing.has(ct.name)) && !hasMountAt(ct, '/tmp/ray')
        ? {
            ...ct,
            volumeMounts: [...(ct.volumeMounts ?? []), { name: rayLogsVolume, mountPath: '/tmp/ray' }],
          }
        : ct,
    );
  }
  for (const v of extraVolumes) if (!volumes.some((x) => x.name === v.name)) volumes.push(v);
  spec.containers = containers;
  if (volumes.length > 0) spec.volumes = volumes;

  // Metadata.
  if (head) {
    annotations[annotation.ftEnabled] = String(gcsFtEnabled(rc));
    annotations[annotation.upgradeRecreateHash] = clusterSpecHash(rc);
    annotations[annotation.kuberayVersion] = config.kuberayVersion;
  }
  if (overwriteCmd(rc))
    annotations[annotation.overwriteContainerCmd] =
      rc.metadata.annotations![annotation.overwriteContainerCmd]!;
  for (const [k, v] of Object.entries(config.defaultPodAnnotations))
    if (!(k in annotations)) annotations[k] = v;
  const labels = podLabels(rc, c.nodeType, c.group, template.metadata?.labels, c.groupLabels, config);

  const name = head
    ? config.deterministicHeadPodName
      ? { name: podName(cluster, 'head', false) }
      : { generateName: headPodGenerateName(cluster) }
    : { generateName: workerPodGenerateName(cluster, c.group) };
  const {
    name: _n,
    generateName: _g,
    namespace: _ns,
    labels: _l,
    annotations: _a,
    ...restMeta
  } = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...restMeta,
      ...name,
      namespace: ns,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [ownerReference(rc)],
    },
    spec,
  };
}

function rayContainerEnv(
  rc: RayCluster,
  config: BuilderConfig,
  current: EnvVar[],
  head: boolean,
  fqdn: string,
  port: string,
  rayStart: string,
): EnvVar[] {
  const env = [...current];
  appendEnvIfAbsent(env, ...copyJson([...config.defaultContainerEnvs]));
  if (!head) env.push({ name: 'FQ_RAY_IP', value: fqdn }, { name: 'RAY_IP', value: rayIp(fqdn) });
  env.push(
    fieldRef('RAY_CLUSTER_NAME', `metadata.labels['${label.cluster}']`),
    fieldRef('RAY_CLUSTER_NAMESPACE', 'metadata.namespace'),
    fieldRef('RAY_CLOUD_INSTANCE_ID', 'metadata.name'),
    fieldRef('RAY_NODE_TYPE_NAME', `metadata.labels['${label.group}']`),
    { name: 'KUBERAY_GEN_RAY_START_CMD', value: rayStart },
  );
  appendEnvIfAbsent(env, { name: 'RAY_PORT', value: port });
  const crd = creatorCrd(rc);
  if (crd === 'RayService')
    appendEnvIfAbsent(
      env,
      { name: 'RAY_timeout_ms_task_wait_for_death_info', value: '0' },
      { name: 'RAY_gcs_server_request_timeout_seconds', value: '5' },
      { name: 'RAY_SERVE_KV_TIMEOUT_S', value: '5' },
    );
  appendEnvIfAbsent(env, { name: 'RAY_ADDRESS', value: head ? `127.0.0.1:${port}` : `${fqdn}:${port}` });
  appendEnvIfAbsent(env, { name: 'RAY_USAGE_STATS_KUBERAY_IN_USE', value: '1' });
  if (head)
    env.push({
      name: 'RAY_USAGE_STATS_EXTRA_TAGS',
      value: `kuberay_version=${config.kuberayVersion};kuberay_crd=${crd}`,
    });
  appendEnvIfAbsent(env, { name: 'RAY_DASHBOARD_ENABLE_K8S_DISK_USAGE', value: '1' });
  return env;
}
