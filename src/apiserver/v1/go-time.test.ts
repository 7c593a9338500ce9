import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goNowString } from './go-time.ts';

test("Go's time.Now().String(): UTC wall clock without trailing zeros, monotonic seconds with nine decimals", () => {
  assert.equal(
    goNowString(new Date('2025-01-02T03:04:05.120Z'), 1234.5),
    '2025-01-02 03:04:05.12 +0000 UTC m=+1.234500000',
  );
  assert.equal(
    goNowString(new Date('2025-11-30T23:59:59Z'), 0),
    '2025-11-30 23:59:59 +0000 UTC m=+0.000000000',
  );
  assert.equal(
    goNowString(new Date('2025-06-07T08:09:10.007Z'), 86_400_000.000001),
    '2025-06-07 08:09:10.007 +0000 UTC m=+86400.000000001',
  );
});
