import { Empty, RPCS, type Rpc } from '../grpc/services.ts';
import type { RouteSpec, RouteTable } from '../http/server.ts';
import type { EnumDef, FieldDef, FieldType, MessageDef, Scalar } from '../v1/proto-json.ts';
import { registerV1 } from '../v1/routes.ts';

/**
 * The OpenAPI 2.0 (swagger) files of the V1 API, one per service, in the shape grpc-gateway's
 * protoc-gen-openapiv2 gives KubeRay's `proto/swagger/*.swagger.json`: the operations are the HTTP routes the
 * server registers (method, path template, `<Service>_<Method>` operation ids), the schemas are the messages
 * the server encodes and decodes (the descriptors `kuberay_api.proto` is generated from), with the gateway's
 * JSON conventions: lowerCamelCase names, 64-bit integers as strings, timestamps as RFC 3339 strings, maps as
 * `additionalProperties`, refs `#/definitions/proto<Message>`. Enums are described by their names (as the
 * gateway's generator does); the server answers with their numbers and accepts both.
 * `scripts/gen-swagger.ts` writes the output to this folder; a test checks the committed files.
 */

/** The folder of the committed files (this module's). */
export const SWAGGER_DIR = import.meta.dirname;

/** KubeRay's file of each service (`proto/<file>.proto` -> `proto/swagger/<file>.swagger.json`). */
const SERVICE_FILES: Readonly<Record<string, string>> = {
  ComputeTemplateService: 'config',
  ClusterService: 'cluster',
  RayJobService: 'job',
  RayServeService: 'serve',
  RayJobSubmissionService: 'job_submission',
};

type Schema = Record<string, unknown>;

const scalarSchema: Record<Scalar, Schema> = {
  string: { type: 'string' },
  bool: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' },
  uint32: { type: 'integer', format: 'int64' },
  int64: { type: 'string', format: 'int64' },
  uint64: { type: 'string', format: 'uint64' },
  float: { type: 'number', format: 'float' },
  double: { type: 'number', format: 'double' },
  timestamp: { type: 'string', format: 'date-time' },
};

const defName = (name: string) => `proto${name.replaceAll('.', '')}`;
const ref = (name: string): Schema => ({ $ref: `#/definitions/${defName(name)}` });

function typeSchema(t: FieldType): Schema {
  if (typeof t === 'string') return { ...scalarSchema[t] };
  if ('enum' in t) return ref(t.enum.name);
  if ('message' in t) return t.message() === Empty ? { type: 'object' } : ref(t.message().name);
  return {
    type: 'object',
    additionalProperties:
      typeof t.map === 'string' ? { ...scalarSchema[t.map] } : typeSchema({ message: t.map.message }),
  };
}

function fieldSchema(f: FieldDef): Schema {
  const s = typeSchema(f.type);
  return f.repeated ? { type: 'array', items: s } : s;
}

function enumSchema(e: EnumDef): Schema {
  const names = Object.entries(e.values)
    .sort((a, b) => a[1] - b[1])
    .map(([n]) => n);
  return { type: 'string', enum: names, default: names[0] };
}

/** The messages and enums `roots` reach, by definition name. */
function definitions(roots: readonly MessageDef[]): Record<string, Schema> {
  const out = new Map<string, Schema>();
  const visit = (def: MessageDef) => {
    const name = defName(def.name);
    if (def === Empty || out.has(name)) return;
    const properties: Record<string, Schema> = {};
    for (const f of def.fields) properties[f.json] = fieldSchema(f);
    out.set(name, def.fields.length ? { type: 'object', properties } : { type: 'object' });
    for (const f of def.fields) {
      const t = f.type;
      if (typeof t === 'string') continue;
      if ('enum' in t) out.set(defName(t.enum.name), enumSchema(t.enum));
      else if ('message' in t) visit(t.message());
      else if (typeof t.map !== 'string') visit(t.map.message());
    }
  };
  for (const r of roots) visit(r);
  out.set('googlerpcStatus', {
    type: 'object',
    properties: {
      code: { type: 'integer', format: 'int32' },
      message: { type: 'string' },
      details: { type: 'array', items: { $ref: '#/definitions/protobufAny' } },
    },
  });
  out.set('protobufAny', {
    type: 'object',
    properties: { '@type': { type: 'string' } },
    additionalProperties: {},
  });
  return Object.fromEntries([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One V1 route as the server registers it. */
interface RecordedRoute {
  readonly method: string;
  readonly pattern: string;
  readonly name: string;
}

/** The V1 routes, recorded by registering them on a table that only remembers them. */
export function recordV1Routes(): RecordedRoute[] {
  const routes: RecordedRoute[] = [];
  const table: RouteTable = {
    add(method: string, pattern: string, spec: RouteSpec) {
      routes.push({ method, pattern, name: spec.name });
    },
  };
  registerV1(table);
  return routes;
}

function parameters(r: Rpc, pattern: string): Schema[] {
  const pathNames = [...pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const byName = new Map(r.request.fields.map((f) => [f.name, f]));
  const params: Schema[] = [];
  for (const p of pathNames) {
    const f = byName.get(p);
    if (!f)
      throw new Error(`${r.service}.${r.method}: path parameter {${p}} is not a field of ${r.request.name}`);
    params.push({ name: f.json, in: 'path', required: true, ...fieldSchema(f) });
  }
  const body = r.http.body;
  if (body) {
    const f = r.request.fields.find((x) => x.json === body);
    if (!f) throw new Error(`${r.service}.${r.method}: body ${body} is not a field of ${r.request.name}`);
    params.push({ name: 'body', in: 'body', required: true, schema: fieldSchema(f) });
  }
  for (const f of r.request.fields) {
    if (pathNames.includes(f.name) || f.json === body) continue;
    if (typeof f.type !== 'string' && !('enum' in f.type))
      throw new Error(`${r.service}.${r.method}: ${f.name} cannot be a query parameter`);
    const s = typeof f.type === 'string' ? { ...scalarSchema[f.type] } : enumSchema(f.type.enum);
    params.push({
      name: f.json,
      in: 'query',
      required: false,
      ...(f.repeated ? { type: 'array', items: s, collectionFormat: 'multi' } : s),
    });
  }
  return params;
}

/** grpc-gateway writes a path's operations in this order. */
const METHOD_ORDER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** The swagger file of one service. */
function serviceDocument(service: string, file: string, routes: readonly RecordedRoute[]): Schema {
  const rpcs = RPCS.filter((r) => r.service === service);
  const paths = new Map<string, Map<string, Schema>>();
  for (const r of rpcs) {
    const route = routes.find((x) => x.name === `proto.${service}/${r.method}`);
    if (!route) throw new Error(`${service}.${r.method}: no HTTP route is registered`);
    if (route.method !== r.http.method || route.pattern !== r.http.pattern)
      throw new Error(
        `${service}.${r.method}: the route ${route.method} ${route.pattern} differs from its gRPC rule ${r.http.method} ${r.http.pattern}`,
      );
    const params = parameters(r, route.pattern);
    const op: Schema = {
      operationId: `${service}_${r.method}`,
      responses: {
        '200': {
          description: 'A successful response.',
          schema: r.response === Empty ? { type: 'object', properties: {} } : ref(r.response.name),
        },
        default: {
          description: 'An unexpected error response.',
          schema: { $ref: '#/definitions/googlerpcStatus' },
        },
      },
      ...(params.length ? { parameters: params } : {}),
      tags: [service],
    };
    const item = paths.get(route.pattern) ?? new Map<string, Schema>();
    item.set(route.method.toLowerCase(), op);
    paths.set(route.pattern, item);
  }
  const sortedPaths = [...paths.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    swagger: '2.0',
    info: { title: `${file}.proto`, version: 'version not set' },
    tags: [{ name: service }],
    consumes: ['application/json'],
    produces: ['application/json'],
    paths: Object.fromEntries(
      sortedPaths.map((p) => {
        const item = paths.get(p) ?? new Map<string, Schema>();
        return [p, Object.fromEntries(METHOD_ORDER.filter((m) => item.has(m)).map((m) => [m, item.get(m)]))];
      }),
    ),
    definitions: definitions(rpcs.flatMap((r) => [r.response, ...bodyMessages(r)])),
    // Not in KubeRay's files: our server wants a Kubernetes token, and this lets Swagger UI send one.
    securityDefinitions: {
      BearerToken: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        description: 'A Kubernetes bearer token, as `Bearer <token>` (not needed with --auth=none).',
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function bodyMessages(r: Rpc): MessageDef[] {
  const f = r.request.fields.find((x) => x.json === r.http.body);
  if (!f || typeof f.type === 'string' || !('message' in f.type)) return [];
  return [f.type.message()];
}

/** `<file>.swagger.json` and its text (two-space JSON, a final newline) for every V1 service. */
export function renderSwaggerFiles(): { name: string; content: string }[] {
  const routes = recordV1Routes();
  const services = [...new Set(RPCS.map((r) => r.service))];
  for (const route of routes) {
    const service = /^proto\.(\w+)\//.exec(route.name)?.[1];
    if (!service || !services.includes(service))
      throw new Error(`route ${route.method} ${route.pattern} (${route.name}) belongs to no V1 service`);
  }
  return services.map((service) => {
    const file = SERVICE_FILES[service];
    if (!file) throw new Error(`service ${service} has no swagger file name`);
    return {
      name: `${file}.swagger.json`,
      content: `${JSON.stringify(serviceDocument(service, file, routes), null, 2)}\n`,
    };
  });
}
