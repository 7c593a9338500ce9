import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaderRenewIntervalMs } from './leader-election.ts';

test('the renew interval: half the renew deadline, a third of the fence, at least the retry period', () => {
  // The defaults (client-go's timings): 4 s, a third of the 12 s fence.
  assert.equal(
    leaderRenewIntervalMs({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 }),
    4000,
  );
  // The chaos tests' short Lease: a third of its 3 s fence.
  assert.equal(
    leaderRenewIntervalMs({ leaseDurationMs: 6000, renewDeadlineMs: 5000, retryPeriodMs: 500 }),
    1000,
  );
  // A Lease shorter than the fencing margin, or a long retry period: the retry period.
  assert.equal(
    leaderRenewIntervalMs({ leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 200 }),
    200,
  );
  assert.equal(
    leaderRenewIntervalMs({ leaseDurationMs: 4000, renewDeadlineMs: 3500, retryPeriodMs: 3000 }),
    3000,
  );
});
