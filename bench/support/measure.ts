import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

export interface AuditEntry {
  readonly auditID: string;
  readonly userAgent: string;
  readonly verb: string;
  readonly resource: string;
  readonly subresource: string;
}

/**
 * Reads the API server's audit log as it grows and counts each request once (by auditID: a watch logs
 * ResponseStarted and ResponseComplete). The operator's requests are those whose user agent starts with
 * `kuberay-operator` (ours: `kuberay-operator/<version>`; KubeRay's: `kuberay-operator/v1.5.0` and its binary
 * name); leader election's Lease requests are left out. Every user agent seen is counted for the report.
 */
export function auditCounter(path: string) {
  let offset = 0;
  let partial = '';
  const seen = new Set<string>();
  const byAgent = new Map<string, number>();
  /** The operator's requests by `verb resource[/subresource]`. */
  const byRequest = new Map<string, number>();
  let operator = 0;
  const isOperator = (ua: string) => ua.startsWith('kuberay-operator');
  const read = (): AuditEntry[] => {
    if (!existsSync(path)) return [];
    const size = statSync(path).size;
    if (size <= offset) return [];
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    closeSync(fd);
    offset = size;
    const lines = (partial + buf.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    const fresh: AuditEntry[] = [];
    for (const line of lines) {
      if (!line) continue;
      const e = JSON.parse(line) as {
        auditID: string;
        userAgent?: string;
        verb: string;
        objectRef?: { resource?: string; subresource?: string };
      };
      if (seen.has(e.auditID)) continue;
      seen.add(e.auditID);
      const ua = e.userAgent ?? '';
      byAgent.set(ua, (byAgent.get(ua) ?? 0) + 1);
      if (!isOperator(ua)) continue;
      // Leader election renews its Lease every few seconds, in both operators: not part of the work measured.
      if (e.objectRef?.resource === 'leases') continue;
      operator++;
      const resource = e.objectRef?.resource ?? '';
      const subresource = e.objectRef?.subresource ?? '';
      const key = `${e.verb} ${resource}${subresource ? `/${subresource}` : ''}`;
      byRequest.set(key, (byRequest.get(key) ?? 0) + 1);
      fresh.push({ auditID: e.auditID, userAgent: ua, verb: e.verb, resource, subresource });
    }
    return fresh;
  };
  return {
    /** The operator's requests logged since the last read. */
    read,
    /** The operator's requests so far. */
    operatorRequests: () => {
      read();
      return operator;
    },
    userAgents: () => Object.fromEntries(byAgent),
    /** The operator's requests so far by `verb resource[/subresource]`. */
    operatorRequestsByKind: (): Record<string, number> => {
      read();
      return Object.fromEntries(byRequest);
    },
  };
}

/** A process's CPU (utime + stime, in seconds) from /proc/<pid>/stat; throws if the process is gone. */
export function cpuSecondsOf(pid: number): number {
  const ticks = 100; // USER_HZ on Linux
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / ticks;
}

/** The machine's CPU time from /proc/stat: busy (everything but idle and iowait) and total, in ticks. */
export function machineCpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** The share of the machine's CPU that was busy between two readings of machineCpuTicks(). */
export function busyShare(
  from: { busy: number; total: number },
  to: { busy: number; total: number },
): number {
  const total = to.total - from.total;
  return total > 0 ? (to.busy - from.busy) / total : 0;
}

/** Samples a process's RSS (VmRSS) and CPU (utime + stime) from /proc every 200 ms. */
export function procSampler(pid: number) {
  let peak = 0;
  const sample = () => {
    let rssMiB = 0;
    let cpuSeconds = 0;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      rssMiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      cpuSeconds = cpuSecondsOf(pid);
    } catch {
      // The process is gone: the last peak stands.
    }
    peak = Math.max(peak, rssMiB);
    return { rssMiB, peakRssMiB: peak, cpuSeconds };
  };
  const timer = setInterval(sample, 200);
  return {
    sample,
    resetPeak: () => {
      peak = 0;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * When a namespace's pods were created, from the API server's audit log (lines of JSON at level Metadata):
 * the time the RayCluster create in `namespace` was received, and the completion times of the operator's
 * successful pod creates there, in order, in ms since the epoch (the server's clock for both). The fairness
 * case reads its small cluster's figure from here: a watch (the bench's own) can be late by the time the API
 * server's watch cache takes to deliver under a burst, which is not the operator's doing.
 */
export function podCreatesInNamespace(
  lines: Iterable<string>,
  namespace: string,
): { rayClusterCreatedMs?: number; podsCreatedMs: number[] } {
  let rayClusterCreatedMs: number | undefined;
  const podsCreatedMs: number[] = [];
  for (const line of lines) {
    if (!line.includes(`"namespace":"${namespace}"`)) continue;
    const e = JSON.parse(line) as {
      verb?: string;
      userAgent?: string;
      objectRef?: { resource?: string; namespace?: string; subresource?: string };
      responseStatus?: { code?: number };
      requestReceivedTimestamp?: string;
      stageTimestamp?: string;
    };
    const ref = e.objectRef;
    if (e.verb !== 'create' || ref?.namespace !== namespace || ref.subresource) continue;
    const code = e.responseStatus?.code ?? 0;
    if (code < 200 || code > 299) continue;
    if (ref.resource === 'rayclusters' && rayClusterCreatedMs === undefined && e.requestReceivedTimestamp)
      rayClusterCreatedMs = Date.parse(e.requestReceivedTimestamp);
    if (ref.resource === 'pods' && (e.userAgent ?? '').startsWith('kuberay-operator') && e.stageTimestamp)
      podsCreatedMs.push(Date.parse(e.stageTimestamp));
  }
  podsCreatedMs.sort((a, b) => a - b);
  return { ...(rayClusterCreatedMs !== undefined ? { rayClusterCreatedMs } : {}), podsCreatedMs };
}
