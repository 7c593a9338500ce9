import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addContainerResourceParams,
  applyGroupResources,
  containerCommand,
  groupStartParams,
  labelsParam,
  rayStartCommand,
} from './ray-start.ts';
import { quoteShellValue } from './shell.ts';

test('renders flags sorted with switches and KubeRay spacing', () => {
  const cmd = rayStartCommand('head', {
    block: 'true',
    'dashboard-host': '0.0.0.0',
    'metrics-export-port': '8080',
    'dashboard-agent-listen-port': '52365',
    'disable-usage-stats': 'false',
    'log-color': 'true',
  });
  assert.equal(
    cmd,
    'ray start --head  --block  --dashboard-agent-listen-port=52365  --dashboard-host=0.0.0.0  --log-color=true  --metrics-export-port=8080 ',
  );
  assert.equal(rayStartCommand('worker', { block: 'true' }), 'ray start  --block ');
});

test('every value is shell-quoted so nothing can inject a command', () => {
  assert.equal(quoteShellValue('abc; rm -rf /'), "'abc; rm -rf /'");
  assert.equal(quoteShellValue('$(reboot)'), '"\\$(reboot)"');
  assert.equal(quoteShellValue("it's"), `'it'"'"'s'`);
  assert.equal(quoteShellValue('$REDIS_PASSWORD'), '"$REDIS_PASSWORD"');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  assert.equal(quoteShellValue('${HOME}x`id`'), '"${HOME}x\\`id\\`"');
  assert.equal(quoteShellValue(`'{"TPU": 4}'`), `'{"TPU": 4}'`);
  assert.equal(quoteShellValue('"{\\"A\\": 1}"'), `'{"A": 1}'`);
  assert.equal(quoteShellValue('10.0.0.1:6379'), '10.0.0.1:6379');
});

test('group resources override rayStartParams', () => {
  const out = applyGroupResources(
    {},
    { CPU: '1500m', memory: '1Gi', 'nvidia.com/gpu': '2', custom: '0.5', bad: 'x' },
  );
  assert.deepEqual(out, {
    'num-cpus': '2',
    memory: '1073741824',
    'num-gpus': '2',
    resources: `'{"custom":0.5}'`,
  });
  assert.equal(labelsParam({ z: '1', a: '2' }), 'a=2,z=1');
});

test("a group's start params: resources and labels over its own, KubeRay's defaults only where unset, always block", () => {
  const group = {
    params: { 'num-cpus': '8', 'metrics-export-port': '9000', block: 'false' },
    resources: { CPU: '2' },
    groupLabels: { zone: 'a' },
  };
  assert.deepEqual(groupStartParams({ nodeType: 'head', ...group }, 'h.ns.svc:6379'), {
    'num-cpus': '2',
    labels: 'zone=a',
    'dashboard-host': '0.0.0.0',
    'metrics-export-port': '9000',
    'dashboard-agent-listen-port': '52365',
    block: 'true',
  });
  const worker = groupStartParams({ nodeType: 'worker', ...group }, 'h.ns.svc:6379');
  assert.equal(worker.address, 'h.ns.svc:6379');
  assert.equal(worker['dashboard-host'], undefined);
  assert.deepEqual(
    groupStartParams(
      {
        nodeType: 'worker',
        params: { address: 'elsewhere:1' },
        resources: undefined,
        groupLabels: undefined,
      },
      'h:1',
    ),
    {
      address: 'elsewhere:1',
      'metrics-export-port': '8080',
      'dashboard-agent-listen-port': '52365',
      block: 'true',
    },
  );
  assert.deepEqual(group.params, { 'num-cpus': '8', 'metrics-export-port': '9000', block: 'false' });
});

test('container resources fill num-cpus from the limit, memory from the limit only, TPU into resources', () => {
  const out = addContainerResourceParams(
    {},
    {
      name: 'ray',
      resources: { limits: { cpu: '2.5', 'google.com/tpu': '4' }, requests: { cpu: '1', memory: '1Gi' } },
    },
  );
  assert.deepEqual(out, { 'num-cpus': '3', resources: `'{"TPU":4}'` });
  const req = addContainerResourceParams({}, { name: 'ray', resources: { requests: { cpu: '1' } } });
  assert.deepEqual(req, { 'num-cpus': '1' });
});

test('the user command is prefixed unless it already runs ray start', () => {
  const wrapped = containerCommand({ name: 'r', command: ['echo', 'hi'] }, 'ray start', false, false);
  assert.deepEqual(wrapped.command, ['/bin/bash', '-c', '--']);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
  assert.equal(wrapped.args![0], ' echo  hi  && ulimit -n ${RAY_START_ULIMIT_OPEN_FILES:-65536}; ray start');
  const kept = containerCommand({ name: 'r', args: ['ray start --head'] }, 'ray start', false, false);
  assert.deepEqual(kept.args, ['ray start --head']);
  assert.deepEqual(containerCommand({ name: 'r' }, 'x', false, true).command, ['/bin/bash', '-cl', '--']);
});
