import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultFeatureGates, parseFeatureGates } from './feature-gates.ts';
import { checkServerVersion, parseServerVersion } from './startup-checks.ts';

test('SidecarSubmitterRestart needs Kubernetes 1.35+', () => {
  const on = parseFeatureGates('SidecarSubmitterRestart=true');
  assert.deepEqual(parseServerVersion({ major: '1', minor: '35+' }), [1, 35]);
  assert.deepEqual(parseServerVersion({ gitVersion: 'v1.34.1' }), [1, 34]);
  assert.doesNotThrow(() => checkServerVersion(on, { major: '1', minor: '35' }));
  assert.throws(
    () => checkServerVersion(on, { major: '1', minor: '34', gitVersion: 'v1.34.1' }),
    /SidecarSubmitterRestart requires Kubernetes 1.35 or newer, but the API server is v1.34.1/,
  );
  assert.doesNotThrow(() => checkServerVersion(defaultFeatureGates(), { major: '1', minor: '20' }));
});
