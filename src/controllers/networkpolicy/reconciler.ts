import type { RayCluster } from '../../api/raycluster.ts';
import { DEFAULT_FEATURE_GATES } from '../../api/validation/common.ts';
import { validateRayClusterAddOns } from '../../api/validation/raycluster-addons.ts';
import { ApiError } from '../../k8s/api-error.ts';
import type { KubeObject } from '../../k8s/objects.ts';
import { Resources } from '../../k8s/resources.ts';
import { KuberayError } from '../../lib/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ReconcileResult } from '../../runtime/controller.ts';
import type { CacheReader } from '../../runtime/store.ts';
import { errorText } from '../common/error-text.ts';
import {
  type AddOnCluster,
  applyEach,
  type ClusterAddOnDeps,
  rayClusterSubject,
} from '../common/managed-by.ts';
import { clusterSelector } from '../common/selectors.ts';
import { buildNetworkPolicies } from './build.ts';
import { type NetworkPolicyAction, planNetworkPolicies, updatedPolicy } from './plan.ts';

class NetworkPolicyReconcileError extends KuberayError {}

interface NetworkPolicyDeps extends ClusterAddOnDeps {
  /** Cached NetworkPolicies created by the operator (label app.kubernetes.io/created-by). */
  readonly policies: CacheReader<KubeObject>;
}

/**
 * Reconciles the NetworkPolicies of one RayCluster: builds the desired set (pure), diffs it against the cache
 * (pure) and issues the creates, updates and deletes. Deleted clusters need nothing: the garbage collector
 * removes their policies through the owner reference.
 */
export async function reconcileNetworkPolicies(
  deps: NetworkPolicyDeps,
  { ns, name, rc }: AddOnCluster,
  logger: Logger,
): Promise<ReconcileResult> {
  if (rc.spec.networkPolicy) {
    // This controller runs only with the gate on; the spec rules of networkPolicy are checked here too, so an
    // invalid spec leaves the existing policies alone instead of half-applying.
    const problem = validateRayClusterAddOns(rc.spec, {
      ...DEFAULT_FEATURE_GATES,
      RayClusterNetworkPolicy: true,
    });
    if (problem?.field.startsWith('networkPolicy')) {
      deps.events.record(rayClusterSubject(rc), {
        type: 'Warning',
        reason: 'InvalidRayClusterSpec',
        action: 'Validate',
        message: `spec.${problem.field}: ${problem.message}`,
      });
      return {};
    }
  }
  const desired = buildNetworkPolicies(rc);
  const observed = deps.policies.list({ namespace: ns, labelSelector: clusterSelector(name) });
  const actions = planNetworkPolicies(rc.metadata.uid ?? '', desired, observed);
  await applyEach(actions, (action) => act(deps, rc, action, logger), NetworkPolicyReconcileError);
  return {};
}

async function act(
  deps: NetworkPolicyDeps,
  rc: RayCluster,
  action: NetworkPolicyAction,
  logger: Logger,
): Promise<string | undefined> {
  const ns = rc.metadata.namespace ?? '';
  const obj = rayClusterSubject(rc);
  const where = (name: string) => `${ns}/${name}`;
  // One write and its Events: `<Verb>dNetworkPolicy` after it, `FailedTo<Verb>NetworkPolicy` (unless
  // `recordFailure` says otherwise) with the error text, which is also returned.
  const write = async (
    verb: 'Create' | 'Update' | 'Delete',
    name: string,
    op: () => Promise<unknown>,
    recordFailure: (e: unknown) => boolean = () => true,
  ): Promise<string | undefined> => {
    try {
      await op();
    } catch (e) {
      const msg = `Failed to ${verb.toLowerCase()} NetworkPolicy ${where(name)}: ${errorText(e)}`;
      if (recordFailure(e))
        deps.events.record(obj, {
          type: 'Warning',
          reason: `FailedTo${verb}NetworkPolicy`,
          action: verb,
          message: msg,
        });
      return msg;
    }
    deps.events.record(obj, {
      type: 'Normal',
      reason: `${verb}dNetworkPolicy`,
      action: verb,
      message: `${verb}d NetworkPolicy ${where(name)}`,
    });
    logger.info(`${verb.toLowerCase()}d NetworkPolicy`, { networkPolicy: name });
    return undefined;
  };
  switch (action.type) {
    case 'create':
      return write('Create', action.desired.metadata.name, () =>
        deps.client.create(Resources.networkPolicies, action.desired),
      );
    case 'update':
      return write(
        'Update',
        action.desired.metadata.name,
        () => deps.client.update(Resources.networkPolicies, updatedPolicy(action.observed, action.desired)),
        // A conflict is a stale cache, retried: no Warning for it.
        (e) => !(e instanceof ApiError && e.isConflict()),
      );
    case 'delete':
      return write('Delete', action.name, () =>
        deps.client.delete(Resources.networkPolicies, ns, action.name),
      );
    case 'conflict': {
      const msg = `NetworkPolicy ${where(action.name)} is controlled by ${action.owner}; not taking it over`;
      deps.events.record(obj, {
        type: 'Warning',
        reason: 'FailedToCreateNetworkPolicy',
        action: 'Create',
        message: msg,
      });
      logger.warn('NetworkPolicy owned by another controller', { networkPolicy: action.name });
      return undefined;
    }
  }
}
