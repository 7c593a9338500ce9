import type { AutoscalerOptions, Container, EnvVar, RayCluster, VolumeMount } from '../../api/index.ts';
import { copyJson } from '../../lib/copy.ts';
import { applyAuth } from './auth.ts';
import { autoscalerContainerName, waitGcsReadyName } from './constants.ts';
import { envValue, fieldRef } from './env.ts';
import { bashWrapper } from './ray-start.ts';
import { applyTls } from './tls.ts';
import { waitGcsReadyScript } from './wait-gcs-script.ts';

export const autoscalerCommand =
  'ray kuberay-autoscaler --cluster-name $(RAY_CLUSTER_NAME) --cluster-namespace $(RAY_CLUSTER_NAMESPACE)';

export function autoscalingEnabled(rc: RayCluster): boolean {
  return rc.spec.enableInTreeAutoscaling === true;
}

/** Autoscaler v2: selected by `autoscalerOptions.version` or by the head env `RAY_enable_autoscaler_v2`. */
export function autoscalerV2(rc: RayCluster): boolean {
  if (rc.spec.autoscalerOptions?.version) return rc.spec.autoscalerOptions.version === 'v2';
  const v = envValue(rc.spec.headGroupSpec.template.spec.containers[0]?.env, 'RAY_enable_autoscaler_v2');
  return v === '1' || v?.toLowerCase() === 'true';
}

/** The autoscaler sidecar, before the ray-logs mount is added; `tls` adds the mTLS env and mount. */
export function autoscalerContainer(
  rc: RayCluster,
  rayContainer: Container,
  loginShell: boolean,
  tls = false,
): Container {
  const opts: AutoscalerOptions = rc.spec.autoscalerOptions ?? {};
  const env: EnvVar[] = [
    fieldRef('RAY_CLUSTER_NAME', "metadata.labels['ray.io/cluster']"),
    fieldRef('RAY_CLUSTER_NAMESPACE', 'metadata.namespace'),
    fieldRef('RAY_HEAD_POD_NAME', 'metadata.name'),
    { name: 'KUBERAY_CRD_VER', value: 'v1' },
    { name: 'KUBERAY_GEN_AUTOSCALER_START_CMD', value: autoscalerCommand },
  ];
  let c: Container = {
    name: autoscalerContainerName,
    image: opts.image || rayContainer.image,
    imagePullPolicy: opts.imagePullPolicy || 'IfNotPresent',
    command: bashWrapper(loginShell),
    args: [autoscalerCommand],
    env,
    resources: opts.resources
      ? copyJson(opts.resources)
      : { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '500m', memory: '512Mi' } },
  };
  c = applyAuth(c, rc);
  if (tls) c = applyTls(c);
  if (opts.securityContext) c.securityContext = copyJson(opts.securityContext);
  if (opts.env?.length) c.env = [...(c.env ?? []), ...copyJson(opts.env)];
  if (opts.envFrom?.length) c.envFrom = [...(c.envFrom ?? []), ...copyJson(opts.envFrom)];
  if (opts.volumeMounts?.length) c.volumeMounts = [...(c.volumeMounts ?? []), ...copyJson(opts.volumeMounts)];
  if (opts.command?.length) c.command = [...opts.command];
  if (opts.args?.length) c.args = [...opts.args];
  return c;
}

/** The worker init container that waits for the GCS. */
export function waitGcsReadyContainer(
  rc: RayCluster,
  userRay: Container,
  address: string,
  loginShell: boolean,
  tls = false,
): Container {
  const script = waitGcsReadyScript(address);
  const c: Container = {
    name: waitGcsReadyName,
    image: userRay.image,
    imagePullPolicy: userRay.imagePullPolicy,
    command: bashWrapper(loginShell),
    args: [script],
    env: copyJson(userRay.env ?? []),
    volumeMounts: copyJson(userRay.volumeMounts ?? []) as VolumeMount[],
    resources: { limits: { cpu: '200m', memory: '256Mi' }, requests: { cpu: '200m', memory: '256Mi' } },
  };
  if (userRay.securityContext) c.securityContext = copyJson(userRay.securityContext);
  const authed = applyAuth(c, rc);
  return tls ? applyTls(authed) : authed;
}
