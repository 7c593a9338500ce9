import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaderRenewIntervalMs } from './leader-election.ts';

test('the renew interval: half the renew deadline, a third of the fence, at least the retry period', () => {
  const cases: [why: string, lease: number, deadline: number, retry: number, interval: number][] = [
    ["the defaults (client-go's timings): a third of the 12 s fence", 15_000, 10_000, 2000, 4000],
    ['a long lease: half the renew deadline', 60_000, 6000, 1000, 3000],
    ["the chaos tests' short Lease: a third of its 3 s fence", 6000, 5000, 500, 1000],
    ['a Lease shorter than the fencing margin: the retry period', 3000, 2000, 200, 200],
    ['a long retry period', 4000, 3500, 3000, 3000],
  ];
  for (const [why, leaseDurationMs, renewDeadlineMs, retryPeriodMs, interval] of cases)
    assert.equal(leaderRenewIntervalMs({ leaseDurationMs, renewDeadlineMs, retryPeriodMs }), interval, why);
});
