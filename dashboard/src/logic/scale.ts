/**
 * The JSON patch that sets one worker group's replicas of a RayCluster, guarded by a `test` of the group name
 * at that index (the patch fails with 422 instead of scaling the wrong group if the list changed meanwhile).
 */
export type JsonPatch = readonly { readonly op: string; readonly path: string; readonly value?: unknown }[];

export interface WorkerGroup {
  readonly groupName?: string;
  readonly replicas?: number;
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
}

export function workerGroupsOf(spec: Record<string, unknown> | undefined): WorkerGroup[] {
  const g = spec?.workerGroupSpecs;
  return Array.isArray(g) ? (g as WorkerGroup[]) : [];
}

/** The patch, or an error message when the request makes no sense (unknown group, bad number, out of bounds). */
export function scalePatch(
  groups: readonly WorkerGroup[],
  groupName: string,
  replicas: number,
): { patch: JsonPatch } | { error: string } {
  const i = groups.findIndex((g) => g.groupName === groupName);
  if (i < 0) return { error: `no worker group "${groupName}"` };
  if (!Number.isInteger(replicas) || replicas < 0)
    return { error: 'replicas must be a whole number, 0 or more' };
  const g = groups[i]!;
  if (g.minReplicas !== undefined && replicas < g.minReplicas)
    return { error: `replicas ${replicas} is below the group's minReplicas ${g.minReplicas}` };
  if (g.maxReplicas !== undefined && replicas > g.maxReplicas)
    return { error: `replicas ${replicas} is above the group's maxReplicas ${g.maxReplicas}` };
  return {
    patch: [
      { op: 'test', path: `/spec/workerGroupSpecs/${i}/groupName`, value: groupName },
      { op: 'add', path: `/spec/workerGroupSpecs/${i}/replicas`, value: replicas },
    ],
  };
}
