import assert from 'node:assert/strict';
import { isAlreadyExists, isNotFound } from '../../src/k8s/api-error.ts';
import type { RestClient } from '../../src/k8s/rest.ts';
import { eventually } from './eventually.ts';

/**
 * Stand-in CRDs for APIs the operator talks to but that do not run here (Volcano, cert-manager, OpenShift
 * routes, the Gateway API): the group, version and kind the operator uses, with an open schema. Tests play
 * the missing controller themselves.
 */
export interface StandInKind {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  /** Serve a status subresource (default false). */
  readonly status?: boolean;
}

const crdsPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

export function standInCrd(k: StandInKind): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${k.plural}.${k.group}`,
      // Groups under *.k8s.io need this marker; the real Gateway API CRDs carry the same one.
      ...(k.group.endsWith('.k8s.io')
        ? {
            annotations: {
              'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/1538',
            },
          }
        : {}),
    },
    spec: {
      group: k.group,
      scope: 'Namespaced',
      names: { plural: k.plural, singular: k.kind.toLowerCase(), kind: k.kind, listKind: `${k.kind}List` },
      versions: [
        {
          name: k.version,
          served: true,
          storage: true,
          ...(k.status ? { subresources: { status: {} } } : {}),
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

/** Creates the CRDs (existing ones are kept) and waits until discovery serves every kind. */
export async function installStandInCrds(rest: RestClient, kinds: readonly StandInKind[]): Promise<void> {
  for (const k of kinds) {
    try {
      await rest.request('POST', crdsPath, { body: standInCrd(k) });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  await eventually(async () => {
    for (const k of kinds) {
      const list = await rest.request<{ resources: { name: string }[] }>(
        'GET',
        `/apis/${k.group}/${k.version}`,
      );
      assert.ok(
        list.resources.some((r) => r.name === k.plural),
        `${k.group}/${k.version} ${k.plural} not served yet`,
      );
    }
  });
}

/** Deletes the CRDs (missing ones are fine). */
export async function removeStandInCrds(rest: RestClient, kinds: readonly StandInKind[]): Promise<void> {
  for (const k of kinds) {
    try {
      await rest.request('DELETE', `${crdsPath}/${k.plural}.${k.group}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

export const volcanoPodGroupKind: StandInKind = {
  group: 'scheduling.volcano.sh',
  version: 'v1beta1',
  plural: 'podgroups',
  kind: 'PodGroup',
};

/** The scheduler-plugins (coscheduling) PodGroup, scheduling.x-k8s.io/v1alpha1. */
export const schedulerPluginsPodGroupKind: StandInKind = {
  group: 'scheduling.x-k8s.io',
  version: 'v1alpha1',
  plural: 'podgroups',
  kind: 'PodGroup',
};
