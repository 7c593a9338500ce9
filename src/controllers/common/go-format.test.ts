import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goDateTime, goDurationString, goTimeString } from './go-format.ts';

test("Go's time.String: seconds, trimmed fractions, zero time", () => {
  assert.equal(goTimeString('2025-01-02T03:04:05Z'), '2025-01-02 03:04:05 +0000 UTC');
  assert.equal(goTimeString('2025-01-02T03:04:05.120Z'), '2025-01-02 03:04:05.12 +0000 UTC');
  assert.equal(goTimeString(undefined), '0001-01-01 00:00:00 +0000 UTC');
});

test("Go's Duration.String", () => {
  assert.equal(goDurationString(0), '0s');
  assert.equal(goDurationString(250), '250ms');
  assert.equal(goDurationString(1500), '1.5s');
  assert.equal(goDurationString(90_000), '1m30s');
  assert.equal(goDurationString(30 * 60_000), '30m0s');
  assert.equal(goDurationString(3_600_000), '1h0m0s');
  assert.equal(goDurationString(3_723_004), '1h2m3.004s');
  assert.equal(goDurationString(-2000), '-2s');
});

test("Go's time.DateTime layout", () => {
  assert.equal(goDateTime(Date.parse('2025-01-02T03:04:05.678Z')), '2025-01-02 03:04:05');
});
