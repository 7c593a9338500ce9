import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleRayService } from '../../builders/rayservice/testing.ts';
import { findCondition } from '../common/conditions.ts';
import { resumeStatus, suspendPhase, suspendProgressStatus, suspendRequestedStatus } from './suspend.ts';

test('the suspend flow: request, deleting, suspended, resume', () => {
  const rs = sampleRayService();
  rs.status = {
    activeServiceStatus: { rayClusterName: 'a' },
    numServeEndpoints: 3,
    serviceStatus: 'Running',
  };
  assert.equal(suspendPhase(rs), 'none');
  rs.spec.suspend = true;
  assert.equal(suspendPhase(rs), 'request');
  rs.status = suspendRequestedStatus(rs, 0);
  assert.equal(findCondition(rs.status.conditions, 'Suspending')!.reason, 'SuspendRequested');
  for (const t of ['Ready', 'UpgradeInProgress', 'RollbackInProgress'])
    assert.equal(findCondition(rs.status.conditions, t)!.reason, 'SuspendInProgress', t);
  assert.deepEqual(
    [rs.status.activeServiceStatus, rs.status.numServeEndpoints, rs.status.serviceStatus],
    [{}, 0, ''],
  );
  assert.equal(suspendPhase(rs), 'deleting');
  rs.spec.suspend = false;
  assert.equal(suspendPhase(rs), 'deleting', 'a persisted Suspending ignores spec.suspend');
  rs.status = suspendProgressStatus(rs, 2, 1000);
  assert.equal(findCondition(rs.status.conditions, 'Suspending')!.reason, 'SuspendInProgress');
  rs.status = suspendProgressStatus(rs, 0, 2000);
  assert.equal(findCondition(rs.status.conditions, 'Suspending')!.status, 'False');
  assert.equal(findCondition(rs.status.conditions, 'Suspended')!.reason, 'SuspendComplete');
  assert.equal(findCondition(rs.status.conditions, 'Ready')!.reason, 'SuspendComplete');
  rs.spec.suspend = true;
  assert.equal(suspendPhase(rs), 'suspended');
  rs.spec.suspend = false;
  assert.equal(suspendPhase(rs), 'resume');
  rs.status = resumeStatus(rs, 5000);
  const ready = findCondition(rs.status.conditions, 'Ready')!;
  assert.deepEqual(
    [ready.status, ready.reason, ready.lastTransitionTime],
    ['False', 'Initializing', '1970-01-01T00:00:05Z'],
  );
  assert.equal(findCondition(rs.status.conditions, 'Suspended')!.reason, 'RayServiceResumed');
  assert.equal(suspendPhase(rs), 'none');
});
