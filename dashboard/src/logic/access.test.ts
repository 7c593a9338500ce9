import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adviseScope, remember, tokenNamespace } from './access.ts';

const jwt = (claims: object) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

test('the namespace of a ServiceAccount token, from its claims', () => {
  assert.equal(tokenNamespace(jwt({ 'kubernetes.io': { namespace: 'team-a' }, sub: 'x' })), 'team-a');
  assert.equal(tokenNamespace(jwt({ sub: 'system:serviceaccount:team-b:alice' })), 'team-b');
  assert.equal(tokenNamespace(jwt({ sub: 'oidc:alice' })), '');
  assert.equal(tokenNamespace('not-a-token'), '');
  assert.equal(tokenNamespace('a.%%%.c'), '');
});

test('typed namespaces are remembered most recent first, once, up to a maximum', () => {
  assert.deepEqual(remember(['a', 'b'], 'b'), ['b', 'a']);
  assert.deepEqual(remember(['a'], ''), ['a']);
  assert.deepEqual(remember(['a', 'b', 'c'], 'd', 3), ['d', 'a', 'b']);
});

test('a user who cannot list everywhere is taken to a namespace where they can, or told plainly', () => {
  assert.deepEqual(adviseScope({ namespace: '', allowed: true, candidates: [] }), { kind: 'ok' });
  assert.deepEqual(adviseScope({ namespace: '', candidates: [] }), { kind: 'ok' }, 'not known yet');
  const sw = adviseScope({
    namespace: '',
    allowed: false,
    candidates: [
      { namespace: 'x', allowed: false },
      { namespace: 'team-a', allowed: true },
    ],
  });
  assert.equal(sw.kind, 'switch');
  assert.equal(sw.kind === 'switch' && sw.to, 'team-a');
  const none = adviseScope({
    namespace: '',
    allowed: false,
    candidates: [{ namespace: 'x', allowed: false }],
  });
  assert.equal(none.kind, 'denied');
  assert.match(
    none.kind === 'denied' ? none.message : '',
    /across all namespaces, nor in any namespace known/,
  );
  const elsewhere = adviseScope({
    namespace: 'team-b',
    allowed: false,
    candidates: [{ namespace: 'team-a', allowed: true }],
  });
  assert.deepEqual(elsewhere, {
    kind: 'denied',
    message: 'Your token may not list Ray objects in namespace team-b. Namespaces where it may:',
    offer: ['team-a'],
  });
});
