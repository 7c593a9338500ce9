import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { GROUP, Kinds, Plurals } from './constants.ts';
import k8sSchemasFile from './k8s-schemas.generated.json' with { type: 'json' };
import { RayClusterSpecSchema, RayClusterStatusSchema } from './raycluster.ts';
import { RayCronJobSpecSchema, RayCronJobStatusSchema } from './raycronjob.ts';
import { RayJobSpecSchema, RayJobStatusSchema } from './rayjob.ts';
import { RayServiceSpecSchema, RayServiceStatusesSchema } from './rayservice.ts';
import { K8S_REF } from './schema-helpers.ts';

/**
 * Renders the ray.io CustomResourceDefinitions from the TypeBox schemas (pure). `scripts/gen-crds.ts` writes them
 * to config/crd/bases/ and `crd.test.ts` fails when the committed files drift from this.
 */

type JsonObject = { [key: string]: unknown };

interface PrinterColumn {
  readonly name: string;
  readonly type: 'integer' | 'string' | 'date' | 'number' | 'boolean';
  readonly jsonPath: string;
  readonly priority?: number;
}

interface CrdDefinition {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly categories: readonly string[];
  readonly spec: TSchema;
  readonly status: TSchema;
  readonly printerColumns: readonly PrinterColumn[];
  /**
   * Served versions; the first is the storage version. All share one schema (the API server converts between
   * them by changing apiVersion only, as KubeRay's CRDs do with no conversion webhook).
   */
  readonly versions: readonly CrdVersion[];
}

interface CrdVersion {
  readonly name: string;
  /** Whether `kubectl get` shows the kind's printer columns for this version (KubeRay: not on v1alpha1 RayJob, RayService). */
  readonly printerColumns: boolean;
  /** A deprecation warning the API server sends with every request for this version (none in KubeRay v1.5.0). */
  readonly deprecationWarning?: string;
}

/** KubeRay v1.5.0 still serves ray.io/v1alpha1 for RayCluster, RayJob and RayService (v1 is the storage version). */
const v1: CrdVersion = { name: 'v1', printerColumns: true };

const age: PrinterColumn = { name: 'age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

const CRD_DEFINITIONS: readonly CrdDefinition[] = [
  {
    kind: Kinds.RayCluster,
    plural: Plurals.RayCluster,
    singular: 'raycluster',
    categories: ['all'],
    spec: RayClusterSpecSchema,
    status: RayClusterStatusSchema,
    versions: [v1, { name: 'v1alpha1', printerColumns: true }],
    printerColumns: [
      { name: 'desired workers', type: 'integer', jsonPath: '.status.desiredWorkerReplicas' },
      { name: 'available workers', type: 'integer', jsonPath: '.status.availableWorkerReplicas' },
      { name: 'cpus', type: 'string', jsonPath: '.status.desiredCPU' },
      { name: 'memory', type: 'string', jsonPath: '.status.desiredMemory' },
      { name: 'gpus', type: 'string', jsonPath: '.status.desiredGPU' },
      { name: 'tpus', type: 'string', jsonPath: '.status.desiredTPU', priority: 1 },
      { name: 'status', type: 'string', jsonPath: '.status.state' },
      age,
      { name: 'head pod IP', type: 'string', jsonPath: '.status.head.podIP', priority: 1 },
      { name: 'head service IP', type: 'string', jsonPath: '.status.head.serviceIP', priority: 1 },
    ],
  },
  {
    kind: Kinds.RayJob,
    plural: Plurals.RayJob,
    singular: 'rayjob',
    categories: ['all'],
    spec: RayJobSpecSchema,
    status: RayJobStatusSchema,
    versions: [v1, { name: 'v1alpha1', printerColumns: false }],
    printerColumns: [
      { name: 'job status', type: 'string', jsonPath: '.status.jobStatus' },
      { name: 'deployment status', type: 'string', jsonPath: '.status.jobDeploymentStatus' },
      { name: 'ray cluster name', type: 'string', jsonPath: '.status.rayClusterName' },
      { name: 'start time', type: 'string', jsonPath: '.status.startTime' },
      { name: 'end time', type: 'string', jsonPath: '.status.endTime' },
      age,
    ],
  },
  {
    kind: Kinds.RayService,
    plural: Plurals.RayService,
    singular: 'rayservice',
    categories: ['all'],
    spec: RayServiceSpecSchema,
    status: RayServiceStatusesSchema,
    versions: [v1, { name: 'v1alpha1', printerColumns: false }],
    printerColumns: [
      { name: 'service status', type: 'string', jsonPath: '.status.serviceStatus' },
      { name: 'num serve endpoints', type: 'string', jsonPath: '.status.numServeEndpoints' },
    ],
  },
  {
    kind: Kinds.RayCronJob,
    plural: Plurals.RayCronJob,
    singular: 'raycronjob',
    categories: ['all'],
    spec: RayCronJobSpecSchema,
    status: RayCronJobStatusSchema,
    versions: [v1],
    printerColumns: [
      { name: 'schedule', type: 'string', jsonPath: '.spec.schedule' },
      { name: 'suspend', type: 'boolean', jsonPath: '.spec.suspend' },
      { name: 'last schedule', type: 'date', jsonPath: '.status.lastScheduleTime' },
      age,
    ],
  },
];

const k8sSchemas: Readonly<Record<string, JsonObject>> = k8sSchemasFile.schemas as Record<string, JsonObject>;

/**
 * Turns a TypeBox schema into plain JSON with every embedded-Kubernetes reference replaced by its generated
 * structural schema. Throws on an unknown reference.
 */
export function expandSchema(
  schema: unknown,
  k8s: Readonly<Record<string, JsonObject>> = k8sSchemas,
): unknown {
  if (Array.isArray(schema)) return schema.map((s) => expandSchema(s, k8s));
  if (!schema || typeof schema !== 'object') return schema;
  const src = schema as JsonObject;
  const out: JsonObject = {};
  const ref = src[K8S_REF];
  if (typeof ref === 'string') {
    const resolved = k8s[ref];
    if (!resolved) throw new Error(`unknown embedded Kubernetes type '${ref}'`);
    Object.assign(out, structuredClone(resolved));
  }
  for (const [k, v] of Object.entries(src)) if (k !== K8S_REF) out[k] = expandSchema(v, k8s);
  return out;
}

function openAPIV3Schema(def: CrdDefinition): unknown {
  return expandSchema({
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: def.spec,
      status: def.status,
    },
  });
}

/** The CustomResourceDefinition object for one kind. */
function buildCrd(def: CrdDefinition): JsonObject {
  const schema = openAPIV3Schema(def);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        categories: [...def.categories],
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
      },
      scope: 'Namespaced',
      versions: def.versions.map(({ name, printerColumns, deprecationWarning }, i) => ({
        ...(printerColumns ? { additionalPrinterColumns: def.printerColumns.map((c) => ({ ...c })) } : {}),
        ...(deprecationWarning ? { deprecated: true, deprecationWarning } : {}),
        name,
        schema: { openAPIV3Schema: schema },
        served: true,
        storage: i === 0,
        subresources: { status: {} },
      })),
    },
  };
}

export function buildCrds(): JsonObject[] {
  return CRD_DEFINITIONS.map(buildCrd);
}

/** The generated CRD files: path relative to the repository root, and content (deterministic, sorted keys). */
export function renderCrdFiles(): { path: string; content: string }[] {
  return buildCrds().map((crd) => {
    const spec = crd.spec as { names: { plural: string } };
    const body = stringify(crd, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
    return {
      path: `config/crd/bases/${GROUP}_${spec.names.plural}.yaml`,
      content: `# Generated by scripts/gen-crds.ts from src/api (do not edit).\n---\n${body}`,
    };
  });
}
