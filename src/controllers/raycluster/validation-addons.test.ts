import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkPolicyOptions, RayCluster } from '../../api/index.ts';
import type { RayCluster as ApiRayCluster } from '../../api/raycluster.ts';
import { validateRayClusterSpec } from '../../api/validation/index.ts';
import { defaultControllerConfig } from './controller.ts';

/** The first problem of the one RayCluster validator as `field: message` (the add-on rules name their field). */
function addOnSpecProblem(
  rc: RayCluster,
  config: { featureGates: Record<string, boolean> },
): string | undefined {
  const c = rc as unknown as ApiRayCluster;
  const e = validateRayClusterSpec(c.spec, c.metadata.annotations, { features: config.featureGates })[0];
  return e ? `${e.field}: ${e.message}` : undefined;
}

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

test('addOnSpecProblem: user TLS env or a ray-tls mount is rejected when mTLS applies', () => {
  assert.equal(addOnSpecProblem(cluster(), on), undefined);
  assert.match(
    addOnSpecProblem(cluster([{ name: 'RAY_USE_TLS', value: '0' }]), on) ?? '',
    /^spec\.headGroupSpec\.template\.spec\.containers\[0\]: cannot set RAY_USE_TLS/,
  );
  assert.match(
    addOnSpecProblem(cluster([], [{ name: 'x', mountPath: '/etc/ray/tls' }]), on) ?? '',
    /^spec\.workerGroupSpecs\[0\]\.template\.spec\.containers\[0\]: cannot mount/,
  );
  // Gate off: the gate rule answers first, the detail rules are not reached.
  assert.match(
    addOnSpecProblem(cluster([{ name: 'RAY_USE_TLS', value: '0' }]), defaultControllerConfig) ?? '',
    /RayClusterMTLS feature gate/,
  );
});

test('addOnSpecProblem: networkPolicy rules are checked when the gate is on', () => {
  const npOn = { ...defaultControllerConfig, featureGates: { RayClusterNetworkPolicy: true } };
  const withNp = (networkPolicy: unknown) => {
    const rc = cluster();
    rc.spec.tlsOptions = undefined;
    rc.spec.networkPolicy = networkPolicy as NetworkPolicyOptions;
    return rc;
  };
  assert.equal(
    addOnSpecProblem(withNp({ mode: 'DenyAll', workerGroups: [{ groupName: 'g' }] }), npOn),
    undefined,
  );
  assert.match(
    addOnSpecProblem(withNp({ mode: 'DenyAllIngress', head: { egressRules: [{}] } }), npOn) ?? '',
    /^spec\.networkPolicy\.head\.egressRules: egressRules cannot be set when networkPolicy\.mode is DenyAllIngress/,
  );
  assert.match(
    addOnSpecProblem(withNp({ workerGroups: [{ groupName: 'nope' }] }), npOn) ?? '',
    /does not match any worker group/,
  );
  // Gate off: the gate rule answers first, the detail rules are not reached.
  assert.match(
    addOnSpecProblem(withNp({ workerGroups: [{ groupName: 'nope' }] }), defaultControllerConfig) ?? '',
    /RayClusterNetworkPolicy feature gate/,
  );
});

test('addOnSpecProblem: historyServerOptions detail rules apply when its gate is on', () => {
  const rc = cluster();
  (rc.spec as { tlsOptions?: unknown }).tlsOptions = undefined;
  const hist = (env: { name: string; value: string }[]) =>
    ({
      ...rc,
      spec: { ...rc.spec, historyServerOptions: { collectorOptions: { image: 'c:1', env } } },
    }) as RayCluster;
  const gateOn = { ...defaultControllerConfig, featureGates: { RayClusterHistoryServer: true } };
  assert.equal(
    addOnSpecProblem(
      hist([
        { name: 'STORAGE_BACKEND', value: 'GCS' },
        { name: 'GCS_BUCKET', value: 'b' },
      ]),
      gateOn,
    ),
    undefined,
  );
  assert.match(addOnSpecProblem(hist([]), gateOn) ?? '', /^spec\.historyServerOptions.*STORAGE_BACKEND/);
  assert.match(
    addOnSpecProblem(hist([{ name: 'STORAGE_BACKEND', value: 'GCS' }]), gateOn) ?? '',
    /GCS_BUCKET/,
  );
  // Gate off: the gate rule answers first, the detail rules are not reached.
  assert.match(
    addOnSpecProblem(hist([]), defaultControllerConfig) ?? '',
    /RayClusterHistoryServer feature gate/,
  );
});
