import { parsePairs } from './submission.ts';

/** The "create a cluster from compute templates" form as typed, and the V1 Cluster body it becomes. */
export interface ClusterForm {
  readonly name: string;
  readonly namespace: string;
  readonly user: string;
  /** Ray version (the RayCluster's rayVersion; the default image's tag). */
  readonly version: string;
  /** Empty: rayproject/ray:<version>. */
  readonly image: string;
  readonly headTemplate: string;
  /** `key=value` lines (ray start parameters of the head; the API server requires at least one). */
  readonly headParams: string;
  readonly withWorkers: boolean;
  readonly groupName: string;
  readonly workerTemplate: string;
  readonly replicas: string;
  readonly minReplicas: string;
  readonly maxReplicas: string;
  readonly workerParams: string;
}

export const DEFAULT_CLUSTER_FORM: ClusterForm = {
  name: '',
  namespace: '',
  user: 'dashboard',
  version: '2.52.0',
  image: '',
  headTemplate: '',
  headParams: 'dashboard-host=0.0.0.0',
  withWorkers: true,
  groupName: 'workers',
  workerTemplate: '',
  replicas: '1',
  minReplicas: '0',
  maxReplicas: '2',
  workerParams: '',
};

/** A compute template as the V1 `compute_templates` route lists it (memory in GiB unless memoryUnit says). */
export interface ComputeTemplate {
  readonly name: string;
  readonly namespace?: string;
  readonly cpu?: number;
  readonly memory?: number;
  readonly gpu?: number;
  readonly memoryUnit?: string;
}

export function templateLabel(t: ComputeTemplate): string {
  const parts = [`${t.cpu ?? 0} CPU`, `${t.memory ?? 0}${t.memoryUnit || 'Gi'} memory`];
  if (t.gpu) parts.push(`${t.gpu} GPU`);
  return `${t.name} (${parts.join(', ')})`;
}

export interface ClusterBody {
  name: string;
  namespace: string;
  user: string;
  version: string;
  clusterSpec: {
    headGroupSpec: { computeTemplate: string; image?: string; rayStartParams: Record<string, string> };
    workerGroupSpec?: {
      groupName: string;
      computeTemplate: string;
      image?: string;
      replicas: number;
      minReplicas: number;
      maxReplicas: number;
      rayStartParams: Record<string, string>;
    }[];
  };
}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function count(text: string, field: string): number | { error: string } {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: `${field}: "${t}" is not a whole number of at least 0` };
  return Number(t);
}

const failed = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;

/**
 * Checks the form as the API server and Kubernetes would (names, the required head template and ray start
 * parameters, replicas within min..max, max above 0), naming the field and the reason, before the call.
 */
export function clusterBody(
  form: ClusterForm,
  templates?: readonly ComputeTemplate[],
): { body: ClusterBody } | { error: string } {
  const name = form.name.trim();
  if (!name) return { error: 'name: required' };
  if (name.length > 63 || !DNS1035.test(name))
    return {
      error: `name: "${name}" must be at most 63 lowercase letters, digits or "-", start with a letter and end with a letter or digit`,
    };
  const namespace = form.namespace.trim();
  if (!namespace) return { error: 'namespace: required (type it in the form or the top bar)' };
  const user = form.user.trim();
  if (!user) return { error: 'user: required (recorded in the ray.io/user label)' };
  if (user.length > 63 || !LABEL_VALUE.test(user))
    return { error: `user: "${user}" must be a label value (at most 63 letters, digits, "-", "_" or ".")` };
  const version = form.version.trim();
  if (!/^\d+\.\d+\.\d+$/.test(version)) return { error: `Ray version: "${version}" is not like 2.52.0` };
  const image = form.image.trim();
  if (/\s/.test(image)) return { error: `image: "${image}" contains spaces` };
  const known = (t: string, field: string) => {
    if (!t) return { error: `${field}: choose a compute template` };
    if (templates && !templates.some((x) => x.name === t))
      return { error: `${field}: there is no compute template "${t}" in namespace ${namespace}` };
    return undefined;
  };
  const headTemplate = form.headTemplate.trim();
  const headBad = known(headTemplate, 'head compute template');
  if (headBad) return headBad;
  const headParams = parsePairs(form.headParams, 'head ray start parameters');
  if (failed(headParams)) return headParams;
  if (Object.keys(headParams).length === 0)
    return { error: 'head ray start parameters: at least one is required (e.g. dashboard-host=0.0.0.0)' };
  const body: ClusterBody = {
    name,
    namespace,
    user,
    version,
    clusterSpec: {
      headGroupSpec: {
        computeTemplate: headTemplate,
        ...(image ? { image } : {}),
        rayStartParams: headParams,
      },
    },
  };
  if (!form.withWorkers) return { body };
  const groupName = form.groupName.trim();
  if (!groupName || groupName.length > 63 || !DNS1123_LABEL.test(groupName))
    return {
      error: `worker group name: "${groupName}" must be lowercase letters, digits or "-" (at most 63)`,
    };
  const workerTemplate = form.workerTemplate.trim();
  const workerBad = known(workerTemplate, 'worker compute template');
  if (workerBad) return workerBad;
  const replicas = count(form.replicas, 'replicas');
  if (failed(replicas)) return replicas;
  const minReplicas = count(form.minReplicas, 'min replicas');
  if (failed(minReplicas)) return minReplicas;
  const maxReplicas = count(form.maxReplicas, 'max replicas');
  if (failed(maxReplicas)) return maxReplicas;
  if (maxReplicas === 0) return { error: 'max replicas: must be above 0' };
  if (minReplicas > maxReplicas)
    return { error: `min replicas: ${minReplicas} is above max replicas ${maxReplicas}` };
  if (replicas < minReplicas || replicas > maxReplicas)
    return { error: `replicas: ${replicas} is outside min..max (${minReplicas}..${maxReplicas})` };
  const workerParams = parsePairs(form.workerParams, 'worker ray start parameters');
  if (failed(workerParams)) return workerParams;
  body.clusterSpec.workerGroupSpec = [
    {
      groupName,
      computeTemplate: workerTemplate,
      ...(image ? { image } : {}),
      replicas,
      minReplicas,
      maxReplicas,
      rayStartParams: workerParams,
    },
  ];
  return { body };
}
