import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RPCS } from '../grpc/services.ts';
import { recordV1Routes, renderSwaggerFiles, SWAGGER_DIR } from './render.ts';

const files = renderSwaggerFiles();
const docs = new Map(files.map((f) => [f.name, JSON.parse(f.content) as SwaggerDoc]));

interface SwaggerDoc {
  info: { title: string };
  security?: unknown;
  securityDefinitions?: Record<string, { name?: string }>;
  paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[] }>>;
  definitions: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
}

test('the committed swagger files are what scripts/gen-swagger.ts generates', () => {
  for (const { name, content } of files) {
    let committed: string | undefined;
    try {
      committed = readFileSync(join(SWAGGER_DIR, name), 'utf8');
    } catch {
      committed = undefined;
    }
    assert.ok(
      committed === content,
      `src/apiserver/swagger/${name} is out of date; run node_modules/.bin/node scripts/gen-swagger.ts`,
    );
  }
});

test("one file per V1 service, named as KubeRay's proto/swagger files", () => {
  assert.deepEqual([...docs.keys()].sort(), [
    'cluster.swagger.json',
    'config.swagger.json',
    'job.swagger.json',
    'job_submission.swagger.json',
    'serve.swagger.json',
  ]);
  assert.equal(docs.get('config.swagger.json')?.info.title, 'config.proto');
  for (const [name, doc] of docs) {
    assert.deepEqual(doc.security, [{ BearerToken: [] }], name);
    assert.equal(doc.securityDefinitions?.BearerToken?.name, 'Authorization', name);
  }
});

test('every registered V1 route is an operation, with its rpc as operationId and its path parameters', () => {
  const routes = recordV1Routes();
  assert.equal(routes.length, RPCS.length);
  const ops = new Map<string, { path: string; method: string; params: { name: string; in: string }[] }>();
  for (const doc of docs.values())
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item))
        ops.set(op.operationId, { path, method, params: op.parameters ?? [] });
  for (const r of routes) {
    const id = r.name.replace(/^proto\./, '').replace('/', '_');
    const op = ops.get(id);
    assert.ok(op, `${id} is missing`);
    assert.equal(op.path, r.pattern, id);
    assert.equal(op.method, r.method.toLowerCase(), id);
    const inPath = op.params.filter((p) => p.in === 'path').map((p) => p.name);
    assert.deepEqual(
      inPath,
      [...r.pattern.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
      id,
    );
  }
  const create = ops.get('ClusterService_CreateCluster');
  assert.deepEqual(
    create?.params.map((p) => `${p.in}:${p.name}`),
    ['path:namespace', 'body:body'],
  );
  assert.deepEqual(
    ops.get('ClusterService_ListCluster')?.params.map((p) => `${p.in}:${p.name}`),
    ['path:namespace', 'query:continue', 'query:limit'],
  );
});

test("the gateway's JSON conventions: lowerCamelCase, int64 as strings, maps, enums, timestamps, refs resolve", () => {
  const cluster = docs.get('cluster.swagger.json');
  assert.ok(cluster);
  const props = cluster.definitions.protoCluster?.properties ?? {};
  assert.deepEqual(props.clusterSpec, { $ref: '#/definitions/protoClusterSpec' });
  assert.deepEqual(props.createdAt, { type: 'string', format: 'date-time' });
  assert.deepEqual(props.annotations, { type: 'object', additionalProperties: { type: 'string' } });
  assert.deepEqual(props.environment, { $ref: '#/definitions/protoClusterEnvironment' });
  assert.deepEqual(cluster.definitions.protoClusterEnvironment, {
    type: 'string',
    enum: ['DEV', 'TESTING', 'STAGING', 'PRODUCTION'],
    default: 'DEV',
  });
  const template = docs.get('config.swagger.json')?.definitions.protoComputeTemplate?.properties ?? {};
  assert.deepEqual(template.extendedResources, {
    type: 'object',
    additionalProperties: { type: 'integer', format: 'int64' },
  });
  assert.deepEqual(template.tolerations, {
    type: 'array',
    items: { $ref: '#/definitions/protoPodToleration' },
  });
  const list = docs.get('job.swagger.json')?.paths['/apis/v1/jobs']?.get?.parameters ?? [];
  assert.deepEqual(
    list.find((p) => p.name === 'limit'),
    {
      name: 'limit',
      in: 'query',
      required: false,
      type: 'string',
      format: 'int64',
    },
  );
  for (const [name, content] of files.map((f) => [f.name, f.content] as const)) {
    const doc = docs.get(name);
    for (const [, target] of content.matchAll(/"\$ref": "#\/definitions\/(\w+)"/g))
      assert.ok(doc?.definitions[target ?? ''], `${name}: ${target} is not defined`);
  }
});
