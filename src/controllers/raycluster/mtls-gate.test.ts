import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RayCluster } from '../../builders/raycluster/index.ts';
import { defaultControllerConfig } from './controller.ts';
import { tlsSpecProblem } from './mtls-gate.ts';

function cluster(
  env: { name: string; value: string }[] = [],
  mounts: { name: string; mountPath: string }[] = [],
) {
  return {
    metadata: { name: 'rc', namespace: 'ns' },
    spec: {
      tlsOptions: { enabled: true },
      headGroupSpec: {
        rayStartParams: {},
        template: { spec: { containers: [{ name: 'ray', image: 'r', env }] } },
      },
      workerGroupSpecs: [
        {
          groupName: 'g',
          minReplicas: 0,
          maxReplicas: 1,
          rayStartParams: {},
          template: { spec: { containers: [{ name: 'ray', image: 'r', volumeMounts: mounts }] } },
        },
      ],
    },
  } as unknown as RayCluster;
}

const on = { ...defaultControllerConfig, featureGates: { RayClusterMTLS: true } };

test('tlsSpecProblem: user TLS env or a ray-tls mount is rejected when mTLS applies', () => {
  assert.equal(tlsSpecProblem(cluster(), on), undefined);
  assert.match(
    tlsSpecProblem(cluster([{ name: 'RAY_USE_TLS', value: '0' }]), on) ?? '',
    /^spec\.headGroupSpec\.template\.spec\.containers\[0\]: cannot set RAY_USE_TLS/,
  );
  assert.match(
    tlsSpecProblem(cluster([], [{ name: 'x', mountPath: '/etc/ray/tls' }]), on) ?? '',
    /^spec\.workerGroupSpecs\[0\]\.template\.spec\.containers\[0\]: cannot mount/,
  );
  // Gate off or tlsOptions disabled: not our concern here (the gate rule is checked by validateSpec).
  assert.equal(
    tlsSpecProblem(cluster([{ name: 'RAY_USE_TLS', value: '0' }]), defaultControllerConfig),
    undefined,
  );
});
