import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execStatus, negotiate, parseStreamingPath } from './streaming.ts';

test('parseStreamingPath: the kubelet routes, with and without the pod uid', () => {
  assert.deepEqual(parseStreamingPath('/exec/ns/pod/main'), {
    kind: 'exec',
    namespace: 'ns',
    pod: 'pod',
    container: 'main',
  });
  assert.deepEqual(parseStreamingPath('/exec/ns/pod/0f-uid/main'), {
    kind: 'exec',
    namespace: 'ns',
    pod: 'pod',
    container: 'main',
  });
  assert.deepEqual(parseStreamingPath('/portForward/ns/pod'), {
    kind: 'portForward',
    namespace: 'ns',
    pod: 'pod',
  });
  assert.deepEqual(parseStreamingPath('/portForward/ns/pod/uid'), {
    kind: 'portForward',
    namespace: 'ns',
    pod: 'pod',
  });
  assert.equal(parseStreamingPath('/exec/ns'), undefined);
  assert.equal(parseStreamingPath('/run/ns/pod/c'), undefined);
});

test('negotiate: picks our protocol among what the client offers (one header, comma-joined or repeated)', () => {
  assert.equal(negotiate('v4.channel.k8s.io, v3.channel.k8s.io', 'v4.channel.k8s.io'), 'v4.channel.k8s.io');
  assert.equal(
    negotiate(['v3.channel.k8s.io', 'v4.channel.k8s.io'], 'v4.channel.k8s.io'),
    'v4.channel.k8s.io',
  );
  assert.equal(negotiate('v2.channel.k8s.io', 'v4.channel.k8s.io'), undefined);
  assert.equal(negotiate(undefined, 'portforward.k8s.io'), undefined);
});

test('execStatus: Success, or Failure with NonZeroExitCode and the code as the ExitCode cause', () => {
  assert.deepEqual(JSON.parse(execStatus(['true'], 0)), { metadata: {}, status: 'Success' });
  assert.deepEqual(JSON.parse(execStatus(['sh', '-c', 'exit 3'], 3)), {
    metadata: {},
    status: 'Failure',
    message:
      'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '3' }] },
  });
});
