/**
 * The Go JSON encoder against real Go: the committed type description matches KubeRay's Go types (drift), and
 * our `ray.io/hash-without-replicas-and-workers-to-delete` equals the one KubeRay's own code computes
 * (scripts/gen-go-field-order/cmd/kuberay-hash) for KubeRay's RayService samples and for edge cases.
 * Needs Go on PATH and the ray-operator module in the Go module cache (scripts/install-deps.sh provides both);
 * without them the tests fail with the reason, they are never skipped.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { goJson } from '../src/api/go-json.ts';
import type { RayClusterSpec } from '../src/api/index.ts';
import { clusterSpecHash, hashableClusterSpec } from '../src/builders/rayservice/hash.ts';
import { buildGoTool, generate, generatedPath } from './gen-go-field-order.ts';

function samplesDir(): string {
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  return join(modCache, 'github.com/ray-project/kuberay/ray-operator@v1.5.0', 'config', 'samples');
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? yamlFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });
}

interface RayServiceLike {
  kind?: string;
  metadata?: { name?: string };
  spec: { rayClusterConfig: RayClusterSpec };
}

function sampleRayServices(): { name: string; rs: RayServiceLike }[] {
  return yamlFiles(samplesDir()).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as RayServiceLike | null)
      .filter((o): o is RayServiceLike => o?.kind === 'RayService' && !!o.spec?.rayClusterConfig)
      .map((rs) => ({ name: `${file.slice(file.indexOf('samples/') + 8)}:${rs.metadata?.name}`, rs })),
  );
}

const container = (extra: Record<string, unknown> = {}) => ({
  name: 'ray-head',
  image: 'rayproject/ray:2.46.0',
  ...extra,
});

/** Specs that exercise the encoding rules: quantities, int-or-string, HTML escaping, empty vs absent. */
const edgeCases: { name: string; rs: RayServiceLike }[] = [
  {
    name: 'quantities in canonical and non-canonical forms',
    rs: {
      spec: {
        rayClusterConfig: {
          headGroupSpec: {
            rayStartParams: {},
            template: {
              spec: {
                containers: [
                  container({
                    resources: {
                      limits: {
                        cpu: '1.5',
                        memory: '1024Mi',
                        'nvidia.com/gpu': 1,
                        'ephemeral-storage': '0.5Gi',
                      },
                      requests: { cpu: '2000m', memory: '1e3', hugepages: '100n', other: '1536', big: '3Ki' },
                    },
                  }),
                ],
              },
            },
          },
        },
      },
    },
  },
  {
    name: 'ports, probes, HTML characters, empty lists and maps, tolerations, suspend',
    rs: {
      spec: {
        rayClusterConfig: {
          suspend: false,
          rayVersion: '2.46.0',
          headServiceAnnotations: {},
          headGroupSpec: {
            rayStartParams: { 'dashboard-host': '0.0.0.0', x: 'a<b>&c\u2028' },
            headService: { metadata: { name: 'svc', labels: { b: '1', a: '2' } }, spec: { ports: [] } },
            template: {
              metadata: { labels: { z: '1', a: '2' }, annotations: {} },
              spec: {
                tolerations: [{ key: 'k', operator: 'Exists' }],
                volumes: [{ name: 'v', emptyDir: { sizeLimit: '2Gi' } }],
                containers: [
                  container({
                    ports: [{ containerPort: 6379, name: 'gcs' }],
                    readinessProbe: { httpGet: { port: 'dashboard', path: '/' } },
                    livenessProbe: { tcpSocket: { port: 8265 } },
                    env: [],
                    args: ['echo "<hi>" && true'],
                  }),
                ],
              },
            },
          },
          workerGroupSpecs: [
            {
              groupName: 'small',
              replicas: 1,
              minReplicas: 1,
              maxReplicas: 5,
              numOfHosts: 1,
              rayStartParams: {},
              scaleStrategy: { workersToDelete: ['a'] },
              template: { spec: { containers: [container({ name: 'w' })] } },
            },
            { groupName: 'bare', template: { spec: { containers: [container({ name: 'w' })] } } },
          ],
        } as RayClusterSpec,
      },
    },
  },
];

function kuberayHashes(objects: RayServiceLike[]): { hash: string; json: string; error?: string }[] {
  const out = execFileSync(buildGoTool('./cmd/kuberay-hash'), {
    input: objects.map((o) => JSON.stringify(o)).join('\n'),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

test('src/api/go-types.generated.json matches KubeRay v1.5.0 Go types (drift check)', () => {
  assert.ok(
    readFileSync(generatedPath, 'utf8') === generate(),
    'src/api/go-types.generated.json is out of date; run node_modules/.bin/node scripts/gen-go-field-order.ts',
  );
});

test('our RayService cluster hash and its JSON equal KubeRay code for its samples and edge cases', () => {
  const cases = [...sampleRayServices(), ...edgeCases];
  assert.ok(cases.length >= 10, `expected KubeRay's RayService samples, found ${cases.length} cases`);
  const theirs = kuberayHashes(cases.map((c) => c.rs));
  assert.equal(theirs.length, cases.length);
  cases.forEach(({ name, rs }, i) => {
    const go = theirs[i]!;
    assert.equal(go.error, undefined, `${name}: Go failed: ${go.error}`);
    const spec = rs.spec.rayClusterConfig;
    assert.equal(goJson(hashableClusterSpec(spec), 'RayClusterSpec'), go.json, `${name}: JSON`);
    assert.equal(clusterSpecHash(spec), go.hash, `${name}: hash`);
  });
});

test('fields KubeRay v1.5.0 does not know are dropped like Go drops them, or appended when asked', () => {
  const spec = {
    headGroupSpec: { template: { spec: { containers: [container()] } }, notAGoField: 1 },
    authOptions: { mode: 'token' },
  } as unknown as RayClusterSpec;
  const [go] = kuberayHashes([{ spec: { rayClusterConfig: spec } }]);
  assert.equal(goJson(spec, 'RayClusterSpec'), go!.json);
  const appended = goJson(spec, 'RayClusterSpec', { unknownFields: 'append' });
  assert.ok(appended.endsWith(',"notAGoField":1},"authOptions":{"mode":"token"}}'), appended);
});
