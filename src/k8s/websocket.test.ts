import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execPath, exitCodeOf } from './exec.ts';

test('exec: the URL repeats command, and the v4/v5 status gives the exit code', () => {
  assert.equal(
    execPath({ namespace: 'ns', pod: 'p', container: 'ray-head', command: ['tar', '-cf', '-'] }),
    '/api/v1/namespaces/ns/pods/p/exec?command=tar&command=-cf&command=-&container=ray-head&stdout=true&stderr=true',
  );
  assert.equal(exitCodeOf('{"metadata":{},"status":"Success"}'), 0);
  assert.equal(
    exitCodeOf(
      '{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}',
    ),
    2,
  );
  assert.throws(
    () => exitCodeOf('{"status":"Failure","message":"container not found"}'),
    /container not found/,
  );
});
