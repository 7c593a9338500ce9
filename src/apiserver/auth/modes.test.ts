import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import type { RpcError } from '../http/status.ts';
import { bearerToken, impersonationHeaders } from './kubernetes.ts';
import { staticTokenAuthenticator } from './modes.ts';

const req = (url: string, authorization?: string) =>
  ({ url, headers: authorization === undefined ? {} : { authorization } }) as unknown as IncomingMessage;

test('security-proxy mode: the bare token or Bearer token under the prefix, anything outside it', async () => {
  const a = staticTokenAuthenticator('s3cret', '/apis/');
  assert.equal((await a.authenticate(req('/apis/v1/clusters', 's3cret'))).via, 'static-token');
  assert.equal((await a.authenticate(req('/apis/v1/clusters', 'Bearer s3cret'))).via, 'static-token');
  assert.equal((await a.authenticate(req('/swagger/x.json'))).via, 'static-token');
  await assert.rejects(
    a.authenticate(req('/apis/v1/clusters')),
    (e: RpcError) => e.code === 16 && /no credentials/.test(e.message),
  );
  await assert.rejects(
    a.authenticate(req('/apis/v1/clusters', 'wrong')),
    (e: RpcError) => e.code === 16 && /not the configured one/.test(e.message),
  );
});

test('bearer tokens are read from the Authorization header; other schemes are refused', () => {
  assert.equal(bearerToken(req('/', 'Bearer abc.def')), 'abc.def');
  assert.equal(bearerToken(req('/')), undefined);
  assert.throws(() => bearerToken(req('/', 'Basic eA==')), /not of the form "Bearer <token>"/);
});

test('impersonation headers carry user, every group, uid and extras', () => {
  assert.deepEqual(
    impersonationHeaders({
      user: 'system:serviceaccount:ns:sa',
      groups: ['system:serviceaccounts', 'system:authenticated'],
      uid: 'u-1',
      extra: { 'authentication.kubernetes.io/pod-name': ['p'] },
      via: 'token',
    }),
    {
      'Impersonate-User': 'system:serviceaccount:ns:sa',
      'Impersonate-Group': ['system:serviceaccounts', 'system:authenticated'],
      'Impersonate-Uid': 'u-1',
      'Impersonate-Extra-authentication.kubernetes.io%2Fpod-name': ['p'],
    },
  );
});
