import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedOrigin } from './cors.ts';

test('no configured origin: no CORS; a list allows its members only; * allows all', () => {
  assert.equal(allowedOrigin({ allowOrigins: [] }, 'http://a'), undefined);
  assert.equal(allowedOrigin({ allowOrigins: ['http://a'] }, 'http://a'), 'http://a');
  assert.equal(allowedOrigin({ allowOrigins: ['http://a'] }, 'http://b'), undefined);
  assert.equal(allowedOrigin({ allowOrigins: ['*'] }, 'http://b'), '*');
  assert.equal(allowedOrigin({ allowOrigins: ['*'] }, undefined), undefined);
});
