import type { RayJob } from '../rayjob.ts';
import { isAutoscalingEnabled } from './raycluster.ts';

/**
 * RayJob `deletionStrategy` rules. Returns KubeRay's messages; rule errors are all
 * reported (KubeRay joins them), the other checks stop at the first.
 */

interface DeletionProblem {
  readonly field: string;
  readonly message: string;
}

const F = 'spec.deletionStrategy';
const ORDER = ['DeleteWorkers', 'DeleteCluster', 'DeleteSelf'] as const;

export function validateDeletionConfiguration(job: RayJob, deletionPolicyGate: boolean): DeletionProblem[] {
  const spec = job.spec;
  const shutdown = spec.shutdownAfterJobFinishes === true;
  if (!shutdown && (spec.ttlSecondsAfterFinished ?? 0) > 0) {
    return [
      {
        field: 'spec.ttlSecondsAfterFinished',
        message:
          'The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false cannot have TTLSecondsAfterFinished',
      },
    ];
  }
  const ds = spec.deletionStrategy;
  if (!ds) return [];
  if (!deletionPolicyGate)
    return [
      { field: F, message: 'RayJobDeletionPolicy feature gate must be enabled to use DeletionStrategy' },
    ];
  const legacy = ds.onSuccess !== undefined || ds.onFailure !== undefined;
  const rules = (ds.deletionRules?.length ?? 0) > 0;
  if (rules && shutdown)
    return [
      {
        field: `${F}.deletionRules`,
        message:
          'The RayJob spec is invalid: spec.shutdownAfterJobFinishes and spec.deletionStrategy.deletionRules are mutually exclusive',
      },
    ];
  if (rules && legacy)
    return [
      {
        field: F,
        message:
          'The RayJob spec is invalid: Cannot use both legacy onSuccess/onFailure fields and deletionRules simultaneously',
      },
    ];
  if (legacy) return legacyPolicies(job);
  if (rules) return deletionRules(job);
  return [
    {
      field: F,
      message:
        'The RayJob spec is invalid: DeletionStrategy requires either BOTH onSuccess and onFailure, OR the deletionRules field (cannot be empty)',
    },
  ];
}

function legacyPolicies(job: RayJob): DeletionProblem[] {
  const { onSuccess, onFailure } = job.spec.deletionStrategy!;
  const selector = Object.keys(job.spec.clusterSelector ?? {}).length > 0;
  if (!onSuccess || !onFailure) {
    return [
      {
        field: F,
        message:
          'both DeletionStrategy.OnSuccess and DeletionStrategy.OnFailure must be set when using the legacy deletion policy fields of DeletionStrategy',
      },
    ];
  }
  if (!onSuccess.policy)
    return [
      {
        field: `${F}.onSuccess.policy`,
        message:
          'the DeletionPolicyType field of DeletionStrategy.OnSuccess cannot be unset when DeletionStrategy is enabled',
      },
    ];
  if (!onFailure.policy)
    return [
      {
        field: `${F}.onFailure.policy`,
        message:
          'the DeletionPolicyType field of DeletionStrategy.OnFailure cannot be unset when DeletionStrategy is enabled',
      },
    ];
  const s = onSuccess.policy;
  const f = onFailure.policy;
  const touchesCluster = (p: string) => p === 'DeleteCluster' || p === 'DeleteWorkers';
  if (selector) {
    if (touchesCluster(s))
      return [
        {
          field: `${F}.onSuccess.policy`,
          message: `the ClusterSelector mode doesn't support DeletionStrategy=${s} on success`,
        },
      ];
    if (touchesCluster(f))
      return [
        {
          field: `${F}.onFailure.policy`,
          message: `the ClusterSelector mode doesn't support DeletionStrategy=${f} on failure`,
        },
      ];
  }
  if ((s === 'DeleteWorkers' || f === 'DeleteWorkers') && isAutoscalingEnabled(job.spec.rayClusterSpec)) {
    return [
      {
        field: F,
        message:
          'DeletionStrategy=DeleteWorkers currently does not support RayCluster with autoscaling enabled',
      },
    ];
  }
  if (job.spec.shutdownAfterJobFinishes === true && (s === 'DeleteNone' || f === 'DeleteNone')) {
    return [
      {
        field: F,
        message:
          "The RayJob spec is invalid: shutdownAfterJobFinshes is set to 'true' while deletion policy is 'DeleteNone'",
      },
    ];
  }
  return [];
}

function deletionRules(job: RayJob): DeletionProblem[] {
  const rules = job.spec.deletionStrategy!.deletionRules!;
  const selector = Object.keys(job.spec.clusterSelector ?? {}).length > 0;
  const autoscaling = isAutoscalingEnabled(job.spec.rayClusterSpec);
  const out: DeletionProblem[] = [];
  /** condition key ("JobStatus 'X'" or "JobDeploymentStatus 'Y'") -> policy -> ttl */
  const byCondition = new Map<string, Map<string, number>>();
  for (const [i, rule] of rules.entries()) {
    const field = `${F}.deletionRules[${i}]`;
    const c = rule.condition ?? {};
    const ttl = c.ttlSeconds ?? 0;
    if ((c.jobStatus === undefined) === (c.jobDeploymentStatus === undefined)) {
      out.push({
        field: `${field}.condition`,
        message: `deletionRules[${i}]: exactly one of condition.jobStatus and condition.jobDeploymentStatus must be set`,
      });
      continue;
    }
    if (ttl < 0) {
      out.push({
        field: `${field}.condition.ttlSeconds`,
        message: `deletionRules[${i}]: TTLSeconds must be non-negative`,
      });
      continue;
    }
    if (selector && (rule.policy === 'DeleteCluster' || rule.policy === 'DeleteWorkers')) {
      out.push({
        field: `${field}.policy`,
        message: `deletionRules[${i}]: DeletionPolicyType '${rule.policy}' not supported when ClusterSelector is set`,
      });
      continue;
    }
    if (autoscaling && rule.policy === 'DeleteWorkers') {
      out.push({
        field: `${field}.policy`,
        message: `deletionRules[${i}]: DeletionPolicyType 'DeleteWorkers' not supported with autoscaling enabled`,
      });
      continue;
    }
    const key =
      c.jobStatus !== undefined
        ? `JobStatus '${c.jobStatus}'`
        : `JobDeploymentStatus '${c.jobDeploymentStatus}'`;
    let ttls = byCondition.get(key);
    if (!ttls) {
      ttls = new Map();
      byCondition.set(key, ttls);
    }
    if (ttls.has(rule.policy)) {
      out.push({
        field,
        message: `deletionRules[${i}]: duplicate rule for DeletionPolicyType '${rule.policy}' and ${key}`,
      });
      continue;
    }
    ttls.set(rule.policy, ttl);
  }
  for (const [key, ttls] of byCondition) {
    let prev: { policy: string; ttl: number } | undefined;
    for (const policy of ORDER) {
      const ttl = ttls.get(policy);
      if (ttl === undefined) continue;
      if (prev && ttl < prev.ttl) {
        out.push({
          field: `${F}.deletionRules`,
          message: `for ${key}: ${policy} TTL (${ttl}) must be >= ${prev.policy} TTL (${prev.ttl})`,
        });
      }
      prev = { policy, ttl };
    }
  }
  return out;
}
