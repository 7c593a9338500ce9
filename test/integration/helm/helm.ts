/**
 * Support for the Helm chart tests: runs the real helm binary (built by scripts/build-controlplane.sh) with
 * its own config/cache/data folders, parses rendered manifests, and sends each object to the real API
 * server as a server-side-apply dry run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { binaryPath } from '../../../src/devcluster/binaries.ts';
import type { RestClient } from '../../../src/k8s/rest.ts';

export const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const chartsDir = join(repoRoot, 'charts');
export const chartPath = (name: string) => join(chartsDir, name);
/** The Kubernetes version of the test control plane; `helm template` renders for it. */
export const kubeVersion = '1.34.1';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are arbitrary JSON
  [key: string]: any;
}

export class HelmError extends Error {
  readonly stderr: string;
  constructor(args: readonly string[], stderr: string, cause?: unknown) {
    super(`helm ${args.join(' ')} failed: ${stderr.trim()}`, { cause });
    this.stderr = stderr;
  }
}

/** A scratch folder (removed at process exit) that also holds helm's config, cache and data. */
export function scratchDir(prefix = 'kuberay-helm-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const helmHome = scratchDir('kuberay-helm-home-');

/** Runs helm; resolves stdout, rejects with HelmError carrying stderr. */
export function helm(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binaryPath('helm'),
      args,
      {
        maxBuffer: 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          HOME: helmHome,
          HELM_CONFIG_HOME: join(helmHome, 'config'),
          HELM_CACHE_HOME: join(helmHome, 'cache'),
          HELM_DATA_HOME: join(helmHome, 'data'),
          ...env,
        },
      },
      (err, stdout, stderr) => (err ? reject(new HelmError(args, stderr, err)) : resolve(stdout)),
    );
  });
}

/** Writes values to a file in the scratch folder and returns `-f <file>` arguments. */
export function valuesArgs(values: Record<string, unknown> | undefined): string[] {
  if (!values) return [];
  const file = join(helmHome, `values-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, stringify(values));
  return ['-f', file];
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

export interface RenderOptions {
  readonly release?: string;
  readonly namespace?: string;
  readonly values?: Record<string, unknown>;
  readonly extraArgs?: readonly string[];
}

/** `helm template` of a chart folder (or packaged chart reference) for the test cluster's version. */
export async function render(chart: string, opts: RenderOptions = {}): Promise<K8sObject[]> {
  const out = await helm([
    'template',
    opts.release ?? 'test',
    chart,
    '--namespace',
    opts.namespace ?? 'default',
    '--kube-version',
    kubeVersion,
    ...valuesArgs(opts.values),
    ...(opts.extraArgs ?? []),
  ]);
  return parseManifests(out);
}

export const find = (objs: readonly K8sObject[], kind: string, name?: string): K8sObject[] =>
  objs.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

export function one(objs: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = find(objs, kind, name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0]!;
}

/** The operator Deployment's container. */
export function operatorContainer(objs: readonly K8sObject[]) {
  return one(objs, 'Deployment').spec.template.spec.containers[0];
}

/** The env entry the chart always gives the operator: its pod's UID (a restarted container takes its Lease back). */
export const podUidEnv = { name: 'KUBERAY_POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } };

/** Resource paths of the kinds the charts render and the test API server serves. */
const resources: Record<string, { plural: string; namespaced: boolean }> = {
  ServiceAccount: { plural: 'serviceaccounts', namespaced: true },
  Service: { plural: 'services', namespaced: true },
  ConfigMap: { plural: 'configmaps', namespaced: true },
  Secret: { plural: 'secrets', namespaced: true },
  Deployment: { plural: 'deployments', namespaced: true },
  Role: { plural: 'roles', namespaced: true },
  RoleBinding: { plural: 'rolebindings', namespaced: true },
  ClusterRole: { plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { plural: 'clusterrolebindings', namespaced: false },
  Ingress: { plural: 'ingresses', namespaced: true },
  CustomResourceDefinition: { plural: 'customresourcedefinitions', namespaced: false },
  ValidatingWebhookConfiguration: { plural: 'validatingwebhookconfigurations', namespaced: false },
  RayCluster: { plural: 'rayclusters', namespaced: true },
};

export function objectPath(obj: K8sObject, defaultNamespace: string): string {
  const r = resources[obj.kind];
  if (!r) throw new Error(`no REST mapping for kind ${obj.kind} in the test support`);
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = r.namespaced ? `/namespaces/${obj.metadata.namespace ?? defaultNamespace}` : '';
  return `${base}${ns}/${r.plural}/${obj.metadata.name}`;
}

/**
 * Server-side apply of one object with dryRun=All: the API server runs defaulting, schema validation and
 * admission but stores nothing. Works whether or not the object already exists.
 */
export async function dryRunApply(client: RestClient, obj: K8sObject, namespace: string): Promise<K8sObject> {
  return client.request<K8sObject>('PATCH', objectPath(obj, namespace), {
    body: obj,
    contentType: 'application/apply-patch+yaml',
    query: { dryRun: 'All', fieldManager: 'kuberay-ts-helm-test', force: true },
  });
}

/** Applies (for real) an object with server-side apply. */
export async function apply(client: RestClient, obj: K8sObject, namespace: string): Promise<K8sObject> {
  return client.request<K8sObject>('PATCH', objectPath(obj, namespace), {
    body: obj,
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'kuberay-ts-helm-test', force: true },
    timeoutMs: 120_000,
  });
}
