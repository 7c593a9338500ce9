import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../config/config.ts';
import { rayJobConfigFrom } from './register.ts';

const configOf = (argv: string[], env: Record<string, string>) => {
  const r = buildConfig({ argv, env, readFile: () => '' });
  assert.equal(r.kind, 'config');
  return r.kind === 'config' ? r.config : (undefined as never);
};

test('the RayJob settings come from the operator env vars, flags and feature gates', () => {
  const c = rayJobConfigFrom(
    configOf(['--feature-gates=RayJobDeletionPolicy=false,SidecarSubmitterRestart=true'], {
      RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS: '5',
      RAYJOB_DEPLOYMENT_STATUS_TRANSITION_GRACE_PERIOD_SECONDS: '60',
      DELETE_RAYJOB_CR_AFTER_JOB_FINISHES: 'TRUE',
      CLUSTER_DOMAIN: 'example.org',
      ENABLE_LOGIN_SHELL: 'true',
    }),
  );
  assert.equal(c.statusCheckTimeoutSeconds, 5);
  assert.equal(c.transitionGracePeriodSeconds, 60);
  assert.equal(c.deleteRayJobAfterJobFinishes, true);
  assert.equal(c.clusterDomain, 'example.org');
  assert.equal(c.loginShell, true);
  assert.equal(c.rayJobDeletionPolicy, false);
  assert.equal(c.sidecarSubmitterRestart, true);
  const d = rayJobConfigFrom(configOf([], { RAYJOB_STATUS_CHECK_TIMEOUT_SECONDS: '-3' }));
  assert.equal(d.statusCheckTimeoutSeconds, 300, 'a value <= 0 falls back to the default');
  assert.equal(d.deleteRayJobAfterJobFinishes, false);
  assert.equal(d.defaultRequeueMs, 3000);
});
