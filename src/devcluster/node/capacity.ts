import { KuberayError } from '../../lib/errors.ts';
import { parseQuantity } from './quantity.ts';

/** What the node reports to the scheduler. */
export interface NodeResources {
  readonly capacity: Readonly<Record<string, string>>;
  readonly allocatable: Readonly<Record<string, string>>;
}

/** The machine the node runs on. */
interface Machine {
  readonly cpus: number;
  readonly memoryBytes: number;
}

/**
 * The capacity the local cluster that `scripts/demo` and the tests start declares, whatever the machine:
 * nothing is enforced (no cgroup limits; Ray sizes itself from rayStartParams and limits), and KubeRay's
 * samples ask for more than a small machine has (the quick-start RayCluster 3 CPUs and 4 GiB, a RayJob's
 * cluster beside it in the end-to-end tests). See docs/local-node.md, "Capacity".
 */
export const devClusterCapacity = { cpu: '32', memory: '64Gi' } as const;

/** The kubelet's default hard eviction threshold (memory.available<100Mi), kept out of allocatable memory. */
const EVICTION_RESERVE_BYTES = 100 * 2 ** 20;

export class CapacityError extends KuberayError {}

function check(name: string, value: string, integer: boolean): number {
  const n = parseQuantity(value);
  if (n === undefined || !(n > 0) || (integer && !Number.isInteger(n)))
    throw new CapacityError(
      `--${name} ${JSON.stringify(value)}: expected a positive ${integer ? 'integer' : 'Kubernetes quantity (e.g. 4, 500m, 8Gi)'}`,
    );
  return n;
}

/**
 * Capacity and allocatable as a kubelet computes them: from the machine (CPU count, memory) unless given;
 * allocatable is capacity less the eviction reserve of memory (no system or kube reservations here).
 */
export function nodeResources(
  given: { cpu?: string | undefined; memory?: string | undefined; pods?: string | undefined },
  machine: Machine,
): NodeResources {
  const cpu = given.cpu ?? String(machine.cpus);
  check('cpu', cpu, false);
  const memoryBytes = given.memory ? check('memory', given.memory, false) : machine.memoryBytes;
  const pods = given.pods ?? '110';
  check('pods', pods, true);
  const ki = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;
  const memory = given.memory ?? ki(machine.memoryBytes);
  return {
    capacity: { cpu, memory, pods, 'ephemeral-storage': '100Gi' },
    allocatable: {
      cpu,
      memory: ki(Math.max(0, memoryBytes - EVICTION_RESERVE_BYTES)),
      pods,
      'ephemeral-storage': '100Gi',
    },
  };
}
