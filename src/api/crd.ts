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

/** Every kind's names follow one pattern: the plural from `Plurals`, the lower-case kind as singular, category `all`. */
interface CrdDefinition {
  readonly kind: keyof typeof Kinds;
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

/** A printer column; most show a string. */
function column(
  name: string,
  jsonPath: string,
  type: PrinterColumn['type'] = 'string',
  priority?: number,
): PrinterColumn {
  return priority === undefined ? { name, type, jsonPath } : { name, type, jsonPath, priority };
}

const age = column('age', '.metadata.creationTimestamp', 'date');

const CRD_DEFINITIONS: readonly CrdDefinition[] = [
  {
    kind: Kinds.RayCluster,
    spec: RayClusterSpecSchema,
    status: RayClusterStatusSchema,
    versions: [v1, { name: 'v1alpha1', printerColumns: true }],
    printerColumns: [
      column('desired workers', '.status.desiredWorkerReplicas', 'integer'),
      column('available workers', '.status.availableWorkerReplicas', 'integer'),
      column('cpus', '.status.desiredCPU'),
      column('memory', '.status.desiredMemory'),
      column('gpus', '.status.desiredGPU'),
      column('tpus', '.status.desiredTPU', 'string', 1),
      column('status', '.status.state'),
      age,
      column('head pod IP', '.status.head.podIP', 'string', 1),
      column('head service IP', '.status.head.serviceIP', 'string', 1),
    ],
  },
  {
    kind: Kinds.RayJob,
    spec: RayJobSpecSchema,
    status: RayJobStatusSchema,
    versions: [v1, { name: 'v1alpha1', printerColumns: false }],
    printerColumns: [
      column('job status', '.status.jobStatus'),
      column('deployment status', '.status.jobDeploymentStatus'),
      column('ray cluster name', '.status.rayClusterName'),
      column('start time', '.status.startTime'),
      column('end time', '.status.endTime'),
      age,
    ],
  },
  {
    kind: Kinds.RayService,
    spec: RayServiceSpecSchema,
    status: RayServiceStatusesSchema,
    versions: [v1, { name: 'v1alpha1', printerColumns: false }],
    printerColumns: [
      column('service status', '.status.serviceStatus'),
      column('num serve endpoints', '.status.numServeEndpoints'),
    ],
  },
  {
    kind: Kinds.RayCronJob,
    spec: RayCronJobSpecSchema,
    status: RayCronJobStatusSchema,
    versions: [v1],
    printerColumns: [
      column('schedule', '.spec.schedule'),
      column('suspend', '.spec.suspend', 'boolean'),
      column('last schedule', '.status.lastScheduleTime', 'date'),
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
  const plural = Plurals[def.kind];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      names: {
        categories: ['all'],
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural,
        singular: def.kind.toLowerCase(),
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
