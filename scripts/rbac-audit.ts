/**
 * RBAC granted versus RBAC used over whole test layers (docs/reliability.md): reads every `*.audit.log` in the
 * directory KUBERAY_TS_AUDIT_DIR (or the first argument) written by the control planes of a `scripts/run-tests.ts`
 * run, keeps the requests of the operators the tests started (test/support/rbac.ts `operatorOf`), and compares
 * every (verb, group, resource/subresource, namespaced or not) they used with what charts/kuberay-operator grants
 * (rendered by the real helm). Fails on a use the chart does not grant, and, when every audited layer ran, on a
 * grant never used that is not a documented exception (scripts/rbac-exceptions.ts); reports the grants never
 * used, each exception with its reason, and what the logs covered. Writes the figures to rbac-audit.json there.
 *
 * Usage: node scripts/rbac-audit.ts [dir] [--layers integration,e2e]
 */
import { createReadStream, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { type AuditEvent, chartRbacAllVariants, UsageTally } from '../test/support/rbac.ts';
import { auditedLayers, droppedFromKubeRay, unusedFails, unusedReason } from './rbac-exceptions.ts';

const args = process.argv.slice(2);
const layersAt = args.indexOf('--layers');
const layers = layersAt >= 0 ? (args[layersAt + 1] ?? '') : '';
const dir =
  args.find((a, i) => !a.startsWith('--') && i !== layersAt + 1) ?? process.env.KUBERAY_TS_AUDIT_DIR;
if (!dir) {
  console.error('usage: node scripts/rbac-audit.ts <audit dir> [--layers a,b] (or set KUBERAY_TS_AUDIT_DIR)');
  process.exit(2);
}
const say = (l: string) => console.error(`[rbac-audit] ${l}`);
const logs = readdirSync(dir)
  // A rotated log keeps its name with a timestamp before `.log` (x.audit-<time>.log): read those too.
  .filter((f) => f.endsWith('.audit.log') || /\.audit-[0-9T:.-]+\.log$/.test(f))
  .sort();
say(`layers run: ${layers || '(not said)'}; ${logs.length} audit logs in ${dir}`);

const tally = new UsageTally();
const byLog: Record<string, { bytes: number; events: number; operatorRequests: number }> = {};
for (const log of logs) {
  const path = join(dir, log);
  const stats = { bytes: statSync(path).size, events: 0, operatorRequests: 0 };
  byLog[log] = stats;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line) continue;
    stats.events++;
    let e: AuditEvent;
    try {
      e = JSON.parse(line) as AuditEvent;
    } catch {
      continue; // a line cut short by an API server killed mid-write
    }
    if (tally.add(e)) stats.operatorRequests++;
  }
  tally.endLog();
}
const { used, byFile, forbidden, requests: operatorRequests } = tally;

const layerOf = (log: string) => log.replace(/-\d+-[0-9a-f]{6}\.audit\.log$/, '');
say(
  `covered: ${
    Object.entries(byLog)
      .map(
        ([l, s]) =>
          `${layerOf(l)} (${(s.bytes / 1e6).toFixed(1)} MB, ${s.events} events, ${s.operatorRequests} by operators)`,
      )
      .join('; ') || 'nothing'
  }`,
);
say(
  `${operatorRequests} requests by operators started from ${byFile.size} files: ${[...byFile]
    .sort((a, b) => b[1] - a[1])
    .map(([f, n]) => `${f} ${n}`)
    .join(', ')}`,
);
if (operatorRequests === 0) {
  say(
    'no operator request in the logs: nothing to compare (the layers run started no operator, or none was audited)',
  );
  process.exit(0);
}

// The default chart, and the chart with each optional scheduler (whose PodGroups it then grants), united.
const rbac = await chartRbacAllVariants({ release: 'kuberay-operator', namespace: 'ray-system' });
const ungranted = tally.ungranted(rbac);
const usedKeys = tally.usedKeys();
const unused = [...rbac.all].filter((k) => !usedKeys.has(k)).sort();
const explained = unused.filter((k) => unusedReason(k));
const unexplained = unused.filter((k) => !unusedReason(k));
say(
  `used ${used.size} distinct (verb, group, resource, scope), ${usedKeys.size} distinct (verb, group, resource):\n  ${[
    ...used,
  ]
    .map(([k, t]) => `${k} x${t.count}`)
    .sort()
    .join('\n  ')}`,
);
say(`the chart grants ${rbac.all.size} (verb, group, resource); ${unused.length} never used in this run:`);
const byReason = new Map<string, string[]>();
for (const k of explained) byReason.set(unusedReason(k)!, [...(byReason.get(unusedReason(k)!) ?? []), k]);
for (const [reason, keys] of byReason) say(`  ${keys.length} ${reason}:\n    ${keys.join(', ')}`);
const dropped = droppedFromKubeRay(rbac.all);
say(
  `not granted although KubeRay v1.5.0 grants them (${dropped.length}; this operator never sends them):\n    ${dropped.join(', ')}`,
);
const failUnused = unusedFails(unexplained, layers);
if (unexplained.length > 0)
  say(
    `  not explained (${failUnused ? 'every audited layer ran: grants to drop, to use in a test, or to list as exceptions' : `perhaps used by a layer not run (all: ${auditedLayers.join(', ')})`}):\n    ${unexplained.join('\n    ')}`,
  );
if (forbidden.length > 0)
  say(
    `refused by RBAC (the chart grants them, so the identity was not yet, or no longer, bound: e.g. an operator ` +
      `started with its chart or still running while helm uninstalls it):\n  ${forbidden.join('\n  ')}`,
  );
writeFileSync(
  join(dir, 'rbac-audit.json'),
  `${JSON.stringify(
    {
      layers,
      logs: byLog,
      operatorRequests,
      byFile: Object.fromEntries(byFile),
      used: Object.fromEntries([...used].map(([k, t]) => [k, t.count])),
      ungranted,
      unused,
      unexplained,
      droppedFromKubeRay: dropped,
      forbidden,
    },
    null,
    2,
  )}\n`,
);
if (ungranted.length > 0)
  say(
    `FAIL: used but not granted by charts/kuberay-operator (would be refused in a real cluster):\n  ${ungranted.join('\n  ')}`,
  );
if (failUnused)
  say(
    `FAIL: granted by charts/kuberay-operator, never used by any layer, and not a documented exception (least ` +
      `privilege: drop it, take its path in a test, or list it with its reason in scripts/rbac-exceptions.ts):\n  ${unexplained.join('\n  ')}`,
  );
if (ungranted.length > 0 || failUnused) process.exit(1);
say(
  `pass: every request by an operator is granted by the chart; ${
    unexplained.length === 0
      ? 'every grant is used or explained'
      : `${unexplained.length} grants unused and unexplained, not failed since not every audited layer ran`
  } (${basename(dir)}/rbac-audit.json has the figures)`,
);
