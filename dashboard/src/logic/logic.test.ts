import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTarget } from './create.ts';
import { applyQuery, DEFAULT_QUERY, queryFromParams, queryToParams } from './filter.ts';
import { accessMessage, age, errorText, replicasText } from './format.ts';
import {
  clusterNameOf,
  headServiceOf,
  type RayObject,
  rayDashboardPath,
  stateOf,
  statusMessage,
  toneOf,
} from './kinds.ts';
import { detailHref, listHref, parseRoute } from './route.ts';
import { scalePatch } from './scale.ts';
import { serveRows, specSummary } from './spec-summary.ts';
import { SseParser } from './sse-parse.ts';
import { applyEvent } from './store.ts';
import { namespacesOf, summarize } from './summary.ts';

const obj = (
  name: string,
  ns: string,
  status: Record<string, unknown> = {},
  extra: Partial<RayObject> = {},
): RayObject => ({
  metadata: { name, namespace: ns, creationTimestamp: '2026-01-01T00:00:00Z', ...extra.metadata },
  status,
  ...(extra.spec ? { spec: extra.spec } : {}),
});

test('stateOf reads each kind as KubeRay writes it', () => {
  assert.equal(stateOf('rayclusters', obj('a', 'n', { state: 'ready' })), 'ready');
  assert.equal(stateOf('rayclusters', obj('a', 'n')), 'provisioning');
  assert.equal(
    stateOf(
      'rayclusters',
      obj('a', 'n', {}, { metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:00Z' } }),
    ),
    'Deleting',
  );
  assert.equal(stateOf('rayjobs', obj('a', 'n', { jobDeploymentStatus: 'Running' })), 'Running');
  assert.equal(stateOf('rayjobs', obj('a', 'n', { jobDeploymentStatus: '' })), 'New');
  assert.equal(
    stateOf('rayservices', obj('a', 'n', { conditions: [{ type: 'Ready', status: 'True' }] })),
    'Ready',
  );
  assert.equal(
    stateOf('rayservices', obj('a', 'n', { conditions: [{ type: 'Ready', status: 'False' }] })),
    'NotReady',
  );
  assert.equal(
    stateOf('rayservices', obj('a', 'n', { conditions: [{ type: 'UpgradeInProgress', status: 'True' }] })),
    'Upgrading',
  );
  assert.equal(stateOf('raycronjobs', obj('a', 'n', { scheduleStatus: 'scheduled' })), 'scheduled');
  assert.equal(stateOf('raycronjobs', obj('a', 'n', {}, { spec: { suspend: true } })), 'Suspended');
  assert.equal(toneOf('ready'), 'ok');
  assert.equal(toneOf('Failed'), 'error');
  assert.equal(toneOf('whatever'), 'idle');
});

test('statusMessage, cluster of a job or service, head service and the Ray dashboard path', () => {
  assert.equal(statusMessage(obj('a', 'n', { message: 'boom' })), 'boom');
  assert.equal(
    statusMessage(obj('a', 'n', { conditions: [{ type: 'X', status: 'False', message: 'no head' }] })),
    'no head',
  );
  assert.equal(statusMessage(obj('a', 'n')), '');
  assert.equal(clusterNameOf('rayjobs', obj('j', 'n', { rayClusterName: 'j-abc' })), 'j-abc');
  assert.equal(
    clusterNameOf('rayservices', obj('s', 'n', { activeServiceStatus: { rayClusterName: 's-x' } })),
    's-x',
  );
  assert.equal(clusterNameOf('raycronjobs', obj('c', 'n')), undefined);
  assert.equal(headServiceOf(obj('c', 'n')), 'c-head-svc');
  assert.equal(headServiceOf(obj('c', 'n', { head: { serviceName: 'h' } })), 'h');
  assert.equal(
    rayDashboardPath('a b', 'c-head-svc'),
    '/api/v1/namespaces/a%20b/services/c-head-svc:dashboard/proxy/',
  );
});

test('summarize counts by state, most common first; namespaces sorted', () => {
  const objs = [
    obj('a', 'x', { state: 'ready' }),
    obj('b', 'y', { state: 'ready' }),
    obj('c', 'x', { state: 'suspended' }),
    obj('d', 'x'),
  ];
  assert.deepEqual(summarize('rayclusters', objs), {
    total: 4,
    byState: [
      { state: 'ready', count: 2 },
      { state: 'provisioning', count: 1 },
      { state: 'suspended', count: 1 },
    ],
  });
  assert.deepEqual(summarize('rayjobs', []), { total: 0, byState: [] });
  assert.deepEqual(namespacesOf(objs), ['x', 'y']);
});

test('applyQuery filters by namespace, name and state and sorts stably', () => {
  const objs = [
    obj('beta', 'x', { state: 'ready' }),
    obj(
      'alpha',
      'y',
      { state: 'ready' },
      { metadata: { name: 'alpha', creationTimestamp: '2026-02-01T00:00:00Z' } },
    ),
    obj('Alphabet', 'x'),
  ];
  const names = (q: Partial<typeof DEFAULT_QUERY>) =>
    applyQuery('rayclusters', objs, { ...DEFAULT_QUERY, ...q }).map((o) => o.metadata.name);
  assert.deepEqual(names({}), ['alpha', 'Alphabet', 'beta']);
  assert.deepEqual(names({ name: 'ALPHA' }), ['alpha', 'Alphabet']);
  assert.deepEqual(names({ namespace: 'x' }), ['Alphabet', 'beta']);
  assert.deepEqual(names({ state: 'ready' }), ['alpha', 'beta']);
  assert.deepEqual(names({ sort: 'age' }), ['alpha', 'Alphabet', 'beta']);
  assert.deepEqual(names({ sort: 'name', descending: true }), ['beta', 'Alphabet', 'alpha']);
  assert.deepEqual(names({ sort: 'state' }), ['Alphabet', 'beta', 'alpha']);
});

test('the list query round-trips through URL parameters and tolerates junk', () => {
  const q = {
    namespace: 'a',
    name: 'b',
    state: 'ready',
    sort: 'age' as const,
    descending: true,
    label: 'app in (x,y)',
    limit: 50,
  };
  assert.deepEqual(queryFromParams(queryToParams(q)), q);
  assert.deepEqual(queryFromParams(new URLSearchParams('sort=bogus&desc=yes&limit=3')), DEFAULT_QUERY);
  assert.equal(queryToParams(DEFAULT_QUERY).toString(), '');
});

test('age is kubectl-like; error texts come from Kubernetes Status or grpc-gateway bodies', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(age('2026-01-01T00:00:00Z', t0 + 59_000), '59s');
  assert.equal(age('2026-01-01T00:00:00Z', t0 + 30 * 60_000), '30m');
  assert.equal(age('2026-01-01T00:00:00Z', t0 + 5 * 3_600_000), '5h');
  assert.equal(age('2026-01-01T00:00:00Z', t0 + 3 * 86_400_000), '3d');
  assert.equal(age('garbage', t0), '');
  assert.equal(age('2026-01-01T00:00:00Z', t0 - 5000), '0s');
  assert.equal(errorText(403, { kind: 'Status', message: 'forbidden: x' }), 'forbidden: x');
  assert.equal(errorText(400, { error: 'bad', code: 3 }), 'bad');
  assert.equal(errorText(502, ''), 'HTTP 502');
  assert.equal(errorText(500, ' oops '), 'oops');
  assert.match(accessMessage(403, 'no'), /do not have access \(403\): no/);
  assert.match(accessMessage(401, 'bad token'), /Log in again/);
  assert.equal(replicasText({ replicas: 2, minReplicas: 1, maxReplicas: 5 }), '2 (min 1, max 5)');
  assert.equal(replicasText({}), '0');
});

test('scalePatch guards the group by name and checks the bounds', () => {
  const groups = [
    { groupName: 'a', replicas: 1 },
    { groupName: 'b', minReplicas: 1, maxReplicas: 3 },
  ];
  assert.deepEqual(scalePatch(groups, 'b', 2), {
    patch: [
      { op: 'test', path: '/spec/workerGroupSpecs/1/groupName', value: 'b' },
      { op: 'add', path: '/spec/workerGroupSpecs/1/replicas', value: 2 },
    ],
  });
  assert.deepEqual(scalePatch(groups, 'c', 1), { error: 'no worker group "c"' });
  assert.match((scalePatch(groups, 'b', 4) as { error: string }).error, /above the group's maxReplicas 3/);
  assert.match((scalePatch(groups, 'b', 0) as { error: string }).error, /below/);
  assert.match((scalePatch(groups, 'a', 1.5) as { error: string }).error, /whole number/);
});

test('SseParser splits messages across chunks, joins data lines, counts comments', () => {
  const p = new SseParser();
  assert.deepEqual(p.push(': hello\n\nid: 3\nda'), []);
  assert.deepEqual(p.push('ta: {"a":1}\n\ndata: x\r\ndata: y\r\n\r\n'), [
    { id: '3', data: '{"a":1}' },
    { data: 'x\ny' },
  ]);
  assert.equal(p.comments, 1);
  assert.deepEqual(p.push(': heartbeat\n\n'), []);
  assert.equal(p.comments, 2);
});

test('applyEvent adds, replaces (not with older versions) and removes by namespace/name', () => {
  const a1 = { metadata: { name: 'a', namespace: 'n', resourceVersion: '10' } };
  const a2 = { metadata: { name: 'a', namespace: 'n', resourceVersion: '11' } };
  let list = applyEvent([], { type: 'ADDED', object: a1 });
  assert.deepEqual(list, [a1]);
  list = applyEvent(list, { type: 'MODIFIED', object: a2 });
  assert.deepEqual(list, [a2]);
  assert.equal(applyEvent(list, { type: 'MODIFIED', object: a1 }), list);
  assert.equal(applyEvent(list, { type: 'BOOKMARK', object: a1 }), list);
  assert.equal(applyEvent(list, { type: 'ERROR', object: { code: 410 } }), list);
  assert.deepEqual(applyEvent(list, { type: 'DELETED', object: a1 }), []);
  assert.equal(applyEvent([], { type: 'DELETED', object: a1 }).length, 0);
});

test('createTarget finds the kind and namespace of pasted YAML, with clear errors', () => {
  const yaml = 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata:\n  name: c\nspec: {}\n';
  assert.deepEqual(createTarget(yaml, 'def'), { plural: 'rayclusters', namespace: 'def', name: 'c' });
  assert.deepEqual(createTarget(yaml.replace('name: c', 'name: c\n  namespace: x'), ''), {
    plural: 'rayclusters',
    namespace: 'x',
    name: 'c',
  });
  assert.match((createTarget(yaml, '') as { error: string }).error, /choose a namespace/);
  assert.match((createTarget('a: [', 'd') as { error: string }).error, /not valid YAML/);
  assert.match((createTarget('- 1', 'd') as { error: string }).error, /one object/);
  assert.match((createTarget('apiVersion: v1\nkind: Pod', 'd') as { error: string }).error, /ray.io\/v1/);
  assert.match(
    (createTarget('apiVersion: ray.io/v1\nkind: Pod', 'd') as { error: string }).error,
    /kind must be/,
  );
});

test('parseRoute reads the hash; hrefs round-trip', () => {
  assert.deepEqual(parseRoute(''), { page: 'overview' });
  assert.deepEqual(parseRoute('#/login'), { page: 'login' });
  assert.deepEqual(parseRoute('#/create'), { page: 'create', from: 'yaml' });
  assert.deepEqual(parseRoute('#/create/template'), { page: 'create', from: 'template' });
  const list = parseRoute('#/rayjobs?ns=a&state=Running');
  assert.equal(list.page, 'list');
  assert.equal(list.page === 'list' && list.params.get('state'), 'Running');
  assert.deepEqual(parseRoute(detailHref('rayclusters', 'a b', 'c')), {
    page: 'detail',
    plural: 'rayclusters',
    namespace: 'a b',
    name: 'c',
  });
  assert.deepEqual(parseRoute('#/pods'), { page: 'notFound', hash: '#/pods' });
  assert.deepEqual(parseRoute('#/rayclusters/%E0%A4%A/x'), {
    page: 'notFound',
    hash: '#/rayclusters/%E0%A4%A/x',
  });
  assert.equal(listHref('rayclusters', new URLSearchParams('ns=a')), '#/rayclusters?ns=a');
});

test('specSummary shows the fields people read first and leaves out empty ones', () => {
  const rc: RayObject = {
    metadata: { name: 'c' },
    spec: {
      rayVersion: '2.46.0',
      headGroupSpec: { template: { spec: { containers: [{ image: 'rayproject/ray:2.46.0' }] } } },
      workerGroupSpecs: [{ groupName: 'small', replicas: 2, minReplicas: 1, maxReplicas: 4 }],
    },
    status: { readyWorkerReplicas: 2 },
  };
  assert.deepEqual(specSummary('rayclusters', rc), [
    ['Ray version', '2.46.0'],
    ['Head image', 'rayproject/ray:2.46.0'],
    ['Workers "small"', '2 (min 1, max 4)'],
    ['Ready workers', '2'],
  ]);
  const job: RayObject = {
    metadata: { name: 'j' },
    spec: { entrypoint: 'python x.py' },
    status: { jobStatus: 'RUNNING' },
  };
  assert.deepEqual(specSummary('rayjobs', job), [
    ['Entrypoint', 'python x.py'],
    ['Job status', 'RUNNING'],
  ]);
  assert.deepEqual(
    specSummary('raycronjobs', { metadata: { name: 'x' }, spec: { schedule: '*/5 * * * *' } }),
    [['Schedule', '*/5 * * * *']],
  );
  assert.deepEqual(specSummary('rayservices', { metadata: { name: 's' } }), []);
});

test('a RayService summary has a row per Serve application: status, healthy deployments, message', () => {
  const svc = {
    metadata: { name: 's', namespace: 'n' },
    spec: {},
    status: {
      activeServiceStatus: {
        rayClusterName: 's-abc',
        applicationStatuses: {
          math: {
            status: 'RUNNING',
            serveDeploymentStatuses: { Adder: { status: 'HEALTHY' }, Multiplier: { status: 'UNHEALTHY' } },
          },
          fruit: { status: 'DEPLOY_FAILED', message: 'ImportError: no module named fruit' },
        },
      },
    },
  };
  const rows = specSummary('rayservices', svc as never);
  assert.deepEqual(
    rows.filter(([label]) => label.startsWith('Serve app')),
    [
      ['Serve app "fruit" (active)', 'DEPLOY_FAILED · ImportError: no module named fruit'],
      ['Serve app "math" (active)', 'RUNNING · 1/2 deployments healthy'],
    ],
  );
  assert.deepEqual(serveRows('pending', undefined), []);
});
