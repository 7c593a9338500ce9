import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code, codeFromHttpStatus, httpStatusFromCode, RpcError, statusBody } from './status.ts';

test('HTTP statuses are those of grpc-gateway for every code', () => {
  const expected: Record<number, number> = {
    0: 200,
    1: 499,
    2: 500,
    3: 400,
    4: 504,
    5: 404,
    6: 409,
    7: 403,
    8: 429,
    9: 400,
    10: 409,
    11: 400,
    12: 501,
    13: 500,
    14: 503,
    15: 500,
    16: 401,
  };
  for (const [code, status] of Object.entries(expected))
    assert.equal(httpStatusFromCode(Number(code)), status, code);
});

test('Kubernetes statuses map back to codes; RpcError carries both', () => {
  assert.equal(codeFromHttpStatus(404), Code.NotFound);
  assert.equal(codeFromHttpStatus(409), Code.AlreadyExists);
  assert.equal(codeFromHttpStatus(422), Code.InvalidArgument);
  assert.equal(codeFromHttpStatus(500), Code.Internal);
  const e = new RpcError(Code.PermissionDenied, 'no');
  assert.equal(e.httpStatus, 403);
  assert.deepEqual(statusBody(e.code, e.message), { code: 7, message: 'no', details: [] });
});
