import { isDNS1035Label, isDNS1123Subdomain } from '../../api/validation/k8s-names.ts';
import { invalidInput, type UserError } from './errors.ts';

/**
 * Request validation of KubeRay's V1 servers (apiserver/pkg/server/*.go), same checks and texts, plus what we
 * add so a bad request is refused before anything is created: object names must be valid Kubernetes names
 * (KubeRay lets the Kubernetes API refuse them later, as a 500).
 */
type Msg = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function nameProblem(kind: string, name: string, dns1035: boolean): UserError | undefined {
  const errs = dns1035 ? isDNS1035Label(name) : isDNS1123Subdomain(name);
  return errs.length ? invalidInput(`${kind} name "${name}" is not valid: ${errs.join('; ')}`) : undefined;
}

function validateNamespace(
  requestNamespace: string,
  bodyNamespace: unknown,
  kind: string,
): UserError | undefined {
  if (!requestNamespace) return invalidInput('Namespace is empty. Please specify a valid value.');
  if (str(bodyNamespace) !== requestNamespace)
    return invalidInput(
      `The namespace in the request is different from the namespace in the ${kind} definition.`,
    );
  return undefined;
}

export function validateComputeTemplate(namespace: string, t: Msg): UserError | undefined {
  if (!str(t.name)) return invalidInput('Compute template name is empty. Please specify a valid value.');
  if (!str(t.namespace))
    return invalidInput('Compute template namespace is empty. Please specify a valid value.');
  const ns = validateNamespace(namespace, t.namespace, 'compute template');
  if (ns) return ns;
  if (num(t.cpu) === 0) return invalidInput('Cpu amount is zero. Please specify a valid value.');
  if (num(t.memory) === 0) return invalidInput('Memory amount is zero. Please specify a valid value.');
  return nameProblem('Compute template', str(t.name), false);
}

function validateClusterSpec(spec: Msg | undefined): UserError | undefined {
  if (!spec) return invalidInput('A ClusterSpec object is required. Please specify one.');
  const head = spec.headGroupSpec as Msg | undefined;
  if (!head)
    return invalidInput('Cluster Spec Object requires HeadGroupSpec to be populated. Please specify one.');
  if (!str(head.computeTemplate))
    return invalidInput('HeadGroupSpec compute template is empty. Please specify a valid value.');
  if (Object.keys((head.rayStartParams as object | undefined) ?? {}).length === 0)
    return invalidInput('HeadGroupSpec RayStartParams is empty. Please specify values.');
  const workers = (spec.workerGroupSpec as Msg[] | undefined) ?? [];
  for (const [i, w] of workers.entries()) {
    if (!str(w.groupName))
      return invalidInput(`WorkerNodeSpec ${i} group name is empty. Please specify a valid value.`);
    if (!str(w.computeTemplate))
      return invalidInput(`WorkerNodeSpec ${i} compute template is empty. Please specify a valid value.`);
    if (num(w.maxReplicas) === 0)
      return invalidInput(`WorkerNodeSpec ${i} MaxReplicas can not be 0. Please specify a valid value.`);
    if (num(w.minReplicas) > num(w.maxReplicas))
      return invalidInput(`WorkerNodeSpec ${i} MinReplica > MaxReplicas. Please specify a valid value.`);
  }
  return undefined;
}

export function validateCluster(namespace: string, c: Msg): UserError | undefined {
  return (
    validateNamespace(namespace, c.namespace, 'cluster') ??
    (str(c.name) ? undefined : invalidInput('Cluster name is empty. Please specify a valid value.')) ??
    (str(c.user)
      ? undefined
      : invalidInput('User who create the cluster is empty. Please specify a valid value.')) ??
    validateClusterSpec(c.clusterSpec as Msg | undefined) ??
    nameProblem('Cluster', str(c.name), true)
  );
}

export function validateJob(namespace: string, j: Msg): UserError | undefined {
  const first =
    validateNamespace(namespace, j.namespace, 'job') ??
    (str(j.name) ? undefined : invalidInput('Job name is empty. Please specify a valid value.')) ??
    (str(j.user)
      ? undefined
      : invalidInput('User who create the job is empty. Please specify a valid value.')) ??
    (str(j.entrypoint) ? undefined : invalidInput('Job entrypoint is empty. Please specify a valid value.'));
  if (first) return first;
  const selector = (j.clusterSelector as object | undefined) ?? {};
  if (Object.keys(selector).length === 0) {
    const spec = validateClusterSpec(j.clusterSpec as Msg | undefined);
    if (spec) return spec;
  }
  return nameProblem('Job', str(j.name), true);
}

export function validateService(namespace: string, s: Msg, pathName?: string): UserError | undefined {
  return (
    validateNamespace(namespace, s.namespace, 'service') ??
    (str(s.name) ? undefined : invalidInput('Service name is empty. Please specify a valid value.')) ??
    (pathName !== undefined && pathName !== str(s.name)
      ? invalidInput('The name in the request is different from the name in the service definition.')
      : undefined) ??
    (str(s.user)
      ? undefined
      : invalidInput('User who create the Service is empty. Please specify a valid value.')) ??
    (str(s.serveConfigV2)
      ? undefined
      : invalidInput('ServeConfigV2 is empty. Please specify a valid value.')) ??
    validateClusterSpec(s.clusterSpec as Msg | undefined) ??
    nameProblem('Service', str(s.name), true)
  );
}

export function validateSubmission(s: Msg): UserError | undefined {
  return str(s.entrypoint)
    ? undefined
    : invalidInput('Job entrypoint is empty. Please specify a valid value.');
}
