/**
 * Where an operator's time at the API server goes, from an audit log kept by `bench/compare.ts --keep-audit`:
 * over the window from its first pod create to its last, how many of its requests were in flight at the server
 * (each request from `requestReceivedTimestamp` to its `ResponseComplete` stage), how long nothing of it was in
 * flight, and which requests ran alone (one in flight) or came right after a gap. Watches and Leases are left out.
 *
 *   node bench/audit-timeline.ts /tmp/audit/ours-c1-1.audit.log [--agent kuberay-operator] [--namespace bench]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type AuditSpan, auditSpans, inFlightTimeline } from './support/timeline.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    agent: { type: 'string', default: 'kuberay-operator' },
    namespace: { type: 'string', default: 'bench' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(`usage: node bench/audit-timeline.ts AUDIT_LOG [--agent PREFIX] [--namespace NS]

Reads an API server audit log (JSON lines at level Metadata, as bench/compare.ts --keep-audit copies them) and
prints, for the requests whose user agent starts with PREFIX (default kuberay-operator), over the window from
their first pod create in namespace NS (default bench: the bench's main case) to their last: the mean number in
flight at the server, the time with none in flight, and by kind the time a request of that kind was alone in
flight and the gaps that a request of that kind ended.`);
  process.exit(values.help ? 0 : 2);
}

const spans: AuditSpan[] = auditSpans(readFileSync(positionals[0]!, 'utf8').split('\n'), values.agent);
const t = inFlightTimeline(spans, values.namespace);
if (!t) {
  console.error(
    `no pod creates in namespace ${values.namespace} by a user agent starting with ${values.agent} in ${positionals[0]}`,
  );
  process.exit(1);
}
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`window: ${s(t.windowMs)} from the first pod create to the last (${t.requests} requests in it)`);
console.log(`mean in flight at the server: ${t.meanInFlight.toFixed(2)}`);
console.log(`nothing in flight: ${s(t.idleMs)} (${((100 * t.idleMs) / t.windowMs).toFixed(1)} %)`);
const rows = (title: string, m: Map<string, number>) => {
  console.log(title);
  for (const [kind, ms] of [...m].sort((a, b) => b[1] - a[1])) console.log(`  ${s(ms).padStart(9)}  ${kind}`);
};
rows('alone in flight, by kind:', t.aloneMsByKind);
rows('gaps (nothing in flight), by the kind of the request that ended each:', t.gapMsByKindBefore);
