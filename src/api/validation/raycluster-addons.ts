import type { Container, PodTemplateSpec } from '../k8s-types.ts';
import type { RayClusterSpec } from '../raycluster.ts';
import { envVar, type FeatureGates, parseGenericVersion, versionAtLeast } from './common.ts';
import { isDNS1123Label } from './k8s-names.ts';

/**
 * RayCluster spec rules for the optional add-ons: history collector, token
 * auth, NetworkPolicy and mTLS. Returns the first problem, with its field relative to the spec.
 */

interface SpecProblem {
  readonly field: string;
  readonly message: string;
}

const HISTORY_RESERVED_ENV = [
  'POD_IP',
  'FQ_RAY_IP',
  'RAY_CLUSTER_NAME',
  'RAY_CLUSTER_NAMESPACE',
  'RAY_ROLE',
  'OWNER_KIND',
  'OWNER_NAME',
  'EVENTS_PORT',
];
const HISTORY_BACKEND_ENV: Readonly<Record<string, readonly (readonly string[])[]>> = {
  GCS: [['GCS_BUCKET']],
  S3: [['S3_REGION']],
  AZUREBLOB: [['AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_ACCOUNT_URL']],
  ALIYUNOSS: [['OSS_BUCKET'], ['OSS_ENDPOINT'], ['OSS_REGION']],
};
export const HISTORY_COLLECTOR_CONTAINER = 'ray-history-collector';
export const TLS_ENV = ['RAY_USE_TLS', 'RAY_TLS_SERVER_CERT', 'RAY_TLS_SERVER_KEY', 'RAY_TLS_CA_CERT'];

function templates(spec: RayClusterSpec): { at: string; tpl: PodTemplateSpec }[] {
  return [
    { at: 'headGroupSpec', tpl: spec.headGroupSpec.template },
    ...(spec.workerGroupSpecs ?? []).map((w, i) => ({ at: `workerGroupSpecs[${i}]`, tpl: w.template })),
  ];
}

function history(spec: RayClusterSpec): SpecProblem | undefined {
  const h = spec.historyServerOptions;
  if (!h) return undefined;
  const f = 'historyServerOptions';
  const c = h.collectorOptions;
  if (!c)
    return { field: `${f}.collectorOptions`, message: 'historyServerOptions.collectorOptions must be set' };
  if (!c.image)
    return {
      field: `${f}.collectorOptions.image`,
      message: 'historyServerOptions.collectorOptions.image must be set',
    };
  for (const name of HISTORY_RESERVED_ENV) {
    if (envVar(name, c.env))
      return {
        field: `${f}.collectorOptions.env`,
        message: `historyServerOptions.collectorOptions.env cannot set ${name}, which is reserved for the operator`,
      };
  }
  const backend = envVar('STORAGE_BACKEND', c.env);
  if (!backend || backend.value === undefined || backend.value === '') {
    return {
      field: `${f}.collectorOptions.env`,
      message: 'historyServerOptions.collectorOptions.env must set STORAGE_BACKEND',
    };
  }
  const needs = HISTORY_BACKEND_ENV[backend.value];
  if (!needs)
    return {
      field: `${f}.collectorOptions.env`,
      message: `unsupported STORAGE_BACKEND ${backend.value}; supported: ${Object.keys(HISTORY_BACKEND_ENV).join(', ')}`,
    };
  for (const anyOf of needs) {
    if (!anyOf.some((n) => envVar(n, c.env))) {
      return {
        field: `${f}.collectorOptions.env`,
        message: `STORAGE_BACKEND ${backend.value} requires env ${anyOf.join(' or ')}`,
      };
    }
  }
  for (const { at, tpl } of templates(spec)) {
    const i = (tpl.spec?.containers ?? []).findIndex((x) => x.name === HISTORY_COLLECTOR_CONTAINER);
    if (i >= 0)
      return {
        field: `${at}.template.spec.containers[${i}].name`,
        message: `container name ${HISTORY_COLLECTOR_CONTAINER} is reserved for the history collector`,
      };
  }
  return undefined;
}

function auth(spec: RayClusterSpec): SpecProblem | undefined {
  const a = spec.authOptions;
  if (!a) return undefined;
  const f = 'authOptions';
  if (a.enableK8sTokenAuth === true && a.mode !== 'token') {
    return {
      field: `${f}.enableK8sTokenAuth`,
      message: "authOptions.enableK8sTokenAuth requires authOptions.mode to be 'token'",
    };
  }
  if (a.mode === 'token') {
    const v = spec.rayVersion ?? '';
    if (v === '')
      return {
        field: 'rayVersion',
        message:
          "authOptions.mode is 'token' but RayVersion was not specified. Ray version 2.52.0 or later is required",
      };
    if (!parseGenericVersion(v))
      return {
        field: 'rayVersion',
        message: `authOptions.mode is 'token' but RayVersion format is invalid: ${v}`,
      };
    if (!versionAtLeast(v, '2.52.0'))
      return {
        field: 'rayVersion',
        message: `authOptions.mode is 'token' but minimum Ray version is 2.52.0, got ${v}`,
      };
    if (a.enableK8sTokenAuth === true) {
      if (!versionAtLeast(v, '2.55.0'))
        return {
          field: `${f}.enableK8sTokenAuth`,
          message: `authOptions.enableK8sTokenAuth requires Ray version 2.55.0 or later, got ${v}`,
        };
      if (a.secretName)
        return {
          field: `${f}.secretName`,
          message: 'authOptions.secretName cannot be set when authOptions.enableK8sTokenAuth is true',
        };
    }
  }
  return undefined;
}

function networkPolicy(spec: RayClusterSpec): SpecProblem | undefined {
  const np = spec.networkPolicy;
  if (!np) return undefined;
  const f = 'networkPolicy';
  const mode = np.mode ?? 'DenyAll';
  const sides = [
    { at: `${f}.head`, rules: np.head },
    { at: `${f}.worker`, rules: np.worker },
    ...(np.workerGroups ?? []).map((g, i) => ({ at: `${f}.workerGroups[${i}]`, rules: g })),
  ];
  for (const { at, rules } of sides) {
    if (mode === 'DenyAllEgress' && (rules?.ingressRules?.length ?? 0) > 0)
      return {
        field: `${at}.ingressRules`,
        message: 'ingressRules cannot be set when networkPolicy.mode is DenyAllEgress',
      };
    if (mode === 'DenyAllIngress' && (rules?.egressRules?.length ?? 0) > 0)
      return {
        field: `${at}.egressRules`,
        message: 'egressRules cannot be set when networkPolicy.mode is DenyAllIngress',
      };
  }
  const groups = new Set((spec.workerGroupSpecs ?? []).map((w) => w.groupName));
  for (const [i, g] of (np.workerGroups ?? []).entries()) {
    const errs = isDNS1123Label(g.groupName);
    if (errs.length)
      return {
        field: `${f}.workerGroups[${i}].groupName`,
        message: `networkPolicy.workerGroups[${i}].groupName ${g.groupName} is invalid: ${errs.join('; ')}`,
      };
    if (!groups.has(g.groupName))
      return {
        field: `${f}.workerGroups[${i}].groupName`,
        message: `networkPolicy.workerGroups[${i}].groupName ${g.groupName} does not match any worker group`,
      };
  }
  return undefined;
}

function tlsInContainer(c: Container): string | undefined {
  const env = TLS_ENV.find((n) => envVar(n, c.env));
  if (env) return `cannot set ${env} env var when tlsOptions is enabled; the operator sets it`;
  if ((c.volumeMounts ?? []).some((m) => m.name === 'ray-tls' || m.mountPath === '/etc/ray/tls')) {
    return 'cannot mount a volume named ray-tls or at /etc/ray/tls when tlsOptions is enabled; the operator mounts it';
  }
  return undefined;
}

function tls(spec: RayClusterSpec): SpecProblem | undefined {
  const t = spec.tlsOptions;
  if (!t) return undefined;
  if (t.enabled !== true) return undefined;
  for (const { at, tpl } of templates(spec)) {
    for (const [i, c] of (tpl.spec?.containers ?? []).entries()) {
      const msg = tlsInContainer(c);
      if (msg) return { field: `${at}.template.spec.containers[${i}]`, message: msg };
    }
  }
  const as = spec.autoscalerOptions;
  if (as) {
    const msg = tlsInContainer({ name: 'autoscaler', env: as.env, volumeMounts: as.volumeMounts });
    if (msg) return { field: 'autoscalerOptions', message: msg };
  }
  return undefined;
}

/** The add-ons in the order they are checked; one behind a feature gate is rejected, when set, while the gate is off. */
const ADD_ONS: readonly {
  readonly field: 'historyServerOptions' | 'authOptions' | 'networkPolicy' | 'tlsOptions';
  readonly gate?: keyof FeatureGates;
  readonly check: (spec: RayClusterSpec) => SpecProblem | undefined;
}[] = [
  { field: 'historyServerOptions', gate: 'RayClusterHistoryServer', check: history },
  { field: 'authOptions', check: auth },
  { field: 'networkPolicy', gate: 'RayClusterNetworkPolicy', check: networkPolicy },
  { field: 'tlsOptions', gate: 'RayClusterMTLS', check: tls },
];

export function validateRayClusterAddOns(spec: RayClusterSpec, gates: FeatureGates): SpecProblem | undefined {
  for (const { field, gate, check } of ADD_ONS) {
    if (!spec[field]) continue;
    if (gate && !gates[gate])
      return { field, message: `${field} requires the ${gate} feature gate to be enabled` };
    const problem = check(spec);
    if (problem) return problem;
  }
  return undefined;
}
