/** `NAME` (a RayCluster) or `TYPE/NAME` with TYPE raycluster, rayjob or rayservice (case-insensitive). */
import { UsageError } from './flags.ts';

type RayResourceType = 'raycluster' | 'rayjob' | 'rayservice';

export interface RayResourceRef {
  readonly type: RayResourceType;
  readonly name: string;
}

export function parseResourceArg(arg: string): RayResourceRef {
  const parts = arg.split('/');
  if (parts.length === 1) {
    if (!parts[0]) throw new UsageError('a resource name is required');
    return { type: 'raycluster', name: parts[0] };
  }
  if (parts.length !== 2 || !parts[1]) throw new UsageError(`invalid resource type/name: ${arg}`);
  const type = parts[0]!.toLowerCase();
  if (type !== 'raycluster' && type !== 'rayjob' && type !== 'rayservice')
    throw new UsageError(`unsupported resource type: ${parts[0]} (use raycluster, rayjob or rayservice)`);
  return { type, name: parts[1] };
}
