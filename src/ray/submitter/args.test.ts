import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  httpBase,
  parseSubmitterArgs,
  readSubmitterEnv,
  SubmitterUsageError,
  submitRequest,
  tailUrl,
} from './args.ts';

const sampleArgs = [
  '--runtime-env-json',
  '{"pip":["requests==2.26.0"],"env_vars":{"counter_name":"test_counter"}}',
  '--',
  'python',
  '/home/ray/samples/sample_code.py',
];

test('parseSubmitterArgs: the KubeRay sample args, entrypoint joined from the words after --', () => {
  const a = parseSubmitterArgs(sampleArgs);
  assert.equal(a.entrypoint, 'python /home/ray/samples/sample_code.py');
  assert.deepEqual(a.runtimeEnv, { pip: ['requests==2.26.0'], env_vars: { counter_name: 'test_counter' } });
  assert.equal(a.help, false);
});

test('parseSubmitterArgs: every flag, in --flag=value form too; flags after -- belong to the entrypoint', () => {
  const a = parseSubmitterArgs([
    '--metadata-json={"owner":"me"}',
    '--entrypoint-resources',
    '{"custom":2}',
    '--entrypoint-num-cpus',
    '0.5',
    '--entrypoint-num-gpus=1',
    '--',
    'python',
    '-u',
    'x.py',
    '--entrypoint-num-cpus',
    '9',
  ]);
  assert.deepEqual(a.metadata, { owner: 'me' });
  assert.deepEqual(a.entrypointResources, { custom: 2 });
  assert.equal(a.entrypointNumCpus, 0.5);
  assert.equal(a.entrypointNumGpus, 1);
  assert.equal(a.entrypoint, 'python -u x.py --entrypoint-num-cpus 9');
});

test('parseSubmitterArgs: --help needs no entrypoint', () => {
  assert.equal(parseSubmitterArgs(['--help']).help, true);
  assert.equal(parseSubmitterArgs(['-h']).help, true);
});

test('parseSubmitterArgs: bad input names the flag and the reason', () => {
  const bad: [string[], RegExp][] = [
    [['--', ' '], /no entrypoint/],
    [['--runtime-env-json', '{', '--', 'x'], /--runtime-env-json: not valid JSON/],
    [['--runtime-env-json', '[1]', '--', 'x'], /--runtime-env-json: must be a JSON object/],
    [['--metadata-json', '{"a":1}', '--', 'x'], /--metadata-json: the value of "a" must be a string/],
    [
      ['--entrypoint-resources', '{"a":"x"}', '--', 'x'],
      /--entrypoint-resources: the value of "a" must be a number/,
    ],
    [['--entrypoint-num-cpus', 'abc', '--', 'x'], /--entrypoint-num-cpus: must be a number >= 0/],
    [['--entrypoint-num-gpus=-1', '--', 'x'], /--entrypoint-num-gpus: must be a number >= 0/],
    [['--nope', '--', 'x'], /nope/],
    [['python', 'x.py'], /put the entrypoint after --/],
  ];
  for (const [argv, re] of bad)
    assert.throws(
      () => parseSubmitterArgs(argv),
      (e: unknown) => e instanceof SubmitterUsageError && re.test((e as Error).message),
      argv.join(' '),
    );
});

test('readSubmitterEnv: both variables required, the missing one named; the token is optional', () => {
  assert.throws(() => readSubmitterEnv({ RAY_JOB_SUBMISSION_ID: 'j' }), /RAY_DASHBOARD_ADDRESS must be set/);
  assert.throws(
    () => readSubmitterEnv({ RAY_DASHBOARD_ADDRESS: 'h:1' }),
    /RAY_JOB_SUBMISSION_ID must be set/,
  );
  assert.throws(() => readSubmitterEnv({}), /RAY_DASHBOARD_ADDRESS and RAY_JOB_SUBMISSION_ID must be set/);
  assert.deepEqual(readSubmitterEnv({ RAY_DASHBOARD_ADDRESS: 'h:1', RAY_JOB_SUBMISSION_ID: 'j' }), {
    dashboardAddress: 'h:1',
    submissionId: 'j',
  });
  assert.equal(
    readSubmitterEnv({ RAY_DASHBOARD_ADDRESS: 'h:1', RAY_JOB_SUBMISSION_ID: 'j', RAY_AUTH_TOKEN: 't' })
      .authToken,
    't',
  );
});

test('submitRequest: the submission id from the env, unset fields left out, zero values kept', () => {
  const env = { dashboardAddress: 'h:1', submissionId: 'rayjob-abcde' };
  assert.deepEqual(submitRequest(parseSubmitterArgs(['--', 'echo', 'hi']), env), {
    entrypoint: 'echo hi',
    submission_id: 'rayjob-abcde',
  });
  const full = submitRequest(
    parseSubmitterArgs([
      '--runtime-env-json={"env_vars":{"A":"1"}}',
      '--metadata-json={"k":"v"}',
      '--entrypoint-num-cpus=0',
      '--entrypoint-num-gpus=2',
      '--entrypoint-resources={"r":1}',
      '--',
      'x',
    ]),
    env,
  );
  assert.deepEqual(full, {
    entrypoint: 'x',
    submission_id: 'rayjob-abcde',
    runtime_env: { env_vars: { A: '1' } },
    metadata: { k: 'v' },
    entrypoint_num_cpus: 0,
    entrypoint_num_gpus: 2,
    entrypoint_resources: { r: 1 },
  });
});

test('httpBase and tailUrl: host:port gets http:// and ws://; an existing scheme is kept', () => {
  assert.equal(
    httpBase('rayjob-x-head-svc.default.svc.cluster.local:8265'),
    'http://rayjob-x-head-svc.default.svc.cluster.local:8265',
  );
  assert.equal(httpBase('http://h:8265/'), 'http://h:8265');
  assert.equal(tailUrl('h:8265', 'job 1'), 'ws://h:8265/api/jobs/job%201/logs/tail');
  assert.equal(tailUrl('https://h', 'j'), 'wss://h/api/jobs/j/logs/tail');
});
