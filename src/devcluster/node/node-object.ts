import type { NodeResources } from './capacity.ts';
import type { NodeNetwork } from './ippool.ts';

/**
 * The Node object the local node registers (no KWOK annotation: this node runs real processes), created with
 * its Ready status so the node lifecycle controller does not taint it not-ready first.
 */
export function nodeObject(
  name: string,
  net: NodeNetwork,
  status: ReturnType<typeof nodeStatus>,
  labels: Readonly<Record<string, string>>,
  unschedulable = false,
) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': goArch(process.arch),
        'node.kubernetes.io/instance-type': 'local',
        'kuberay-ts.io/local-node': 'true',
        ...labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: net.cidr, podCIDRs: [net.cidr], ...(unschedulable ? { unschedulable: true } : {}) },
    status,
  };
}

function goArch(a: string): string {
  return a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a;
}

/**
 * The node's status: Ready and the pressure conditions, the bridge address as InternalIP (the API server
 * reaches the kubelet port there for `kubectl logs`), and the kubelet port.
 */
export function nodeStatus(
  net: NodeNetwork,
  resources: NodeResources,
  kubeletPort: number,
  now: string,
  info: { kernel: string; machine: string; arch: string },
) {
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  return {
    capacity: resources.capacity,
    allocatable: resources.allocatable,
    conditions: [
      cond(
        'MemoryPressure',
        'False',
        'KubeletHasSufficientMemory',
        'kubelet has sufficient memory available',
      ),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kuberay-ts local node is posting ready status'),
    ],
    // Only an InternalIP: the API server tries a Hostname address first, and the node name does not resolve.
    addresses: [{ type: 'InternalIP', address: net.hostIP }],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: info.machine,
      systemUUID: info.machine,
      bootID: '',
      kernelVersion: info.kernel,
      osImage: 'kuberay-ts local node (processes in Linux namespaces)',
      containerRuntimeVersion: 'local://0.1.0',
      kubeletVersion: 'v1.34.1',
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: goArch(info.arch),
    },
  };
}
