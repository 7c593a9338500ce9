import assert from 'node:assert/strict';
import { test } from 'node:test';
import { operatorInstanceOf, operatorUserAgent } from './user-agent.ts';

test('the operator user agent carries the instance name, and only then is one read back', () => {
  assert.equal(operatorUserAgent('1.2.3'), 'kuberay-operator/1.2.3');
  assert.equal(
    operatorUserAgent('1.2.3', 'basic.test.ts'),
    'kuberay-operator/1.2.3 (instance basic.test.ts)',
  );
  assert.equal(operatorInstanceOf(operatorUserAgent('1.2.3', 'basic.test.ts#2')), 'basic.test.ts#2');
  assert.equal(operatorInstanceOf('kuberay-operator/1.2.3'), undefined);
  assert.equal(operatorInstanceOf('kuberay-ts-test'), undefined);
  // client-go's default agent (KubeRay's own operator) has a comment too, but no instance.
  assert.equal(operatorInstanceOf('kuberay-operator/v1.5.0 (linux/amd64) kubernetes/abc'), undefined);
});

test('an instance name cannot break out of its comment', () => {
  const ua = operatorUserAgent('dev', 'a(b)\nc');
  assert.equal(ua, 'kuberay-operator/dev (instance a_b__c)');
  assert.equal(operatorInstanceOf(ua), 'a_b__c');
});
