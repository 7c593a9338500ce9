/** One request at the API server, from its audit events: when it was received and when its response completed. */
export interface AuditSpan {
  readonly kind: string;
  readonly namespace: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The completed requests (watches and Leases left out) whose user agent starts with `agentPrefix`, from the lines
 * of an audit log at level Metadata; `kind` is `verb resource[/subresource]`.
 */
export function auditSpans(lines: Iterable<string>, agentPrefix: string): AuditSpan[] {
  const spans: AuditSpan[] = [];
  for (const line of lines) {
    if (!line.includes('"ResponseComplete"')) continue;
    const e = JSON.parse(line) as {
      stage?: string;
      verb?: string;
      userAgent?: string;
      objectRef?: { resource?: string; subresource?: string; namespace?: string };
      requestReceivedTimestamp?: string;
      stageTimestamp?: string;
    };
    if (e.stage !== 'ResponseComplete' || e.verb === 'watch') continue;
    if (!(e.userAgent ?? '').startsWith(agentPrefix) || e.objectRef?.resource === 'leases') continue;
    if (!e.requestReceivedTimestamp || !e.stageTimestamp) continue;
    const sub = e.objectRef?.subresource;
    spans.push({
      kind: `${e.verb} ${e.objectRef?.resource ?? ''}${sub ? `/${sub}` : ''}`,
      namespace: e.objectRef?.namespace ?? '',
      startMs: Date.parse(e.requestReceivedTimestamp),
      endMs: Date.parse(e.stageTimestamp),
    });
  }
  return spans;
}

export interface InFlightTimeline {
  /** From the first pod create's arrival to the last pod create's completion. */
  readonly windowMs: number;
  /** Requests that overlap the window. */
  readonly requests: number;
  readonly meanInFlight: number;
  /** Time in the window with none of the requests in flight. */
  readonly idleMs: number;
  /** Time in the window with exactly one request in flight, by its kind. */
  readonly aloneMsByKind: Map<string, number>;
  /** The gaps in the window (none in flight), by the kind of the request whose end began each gap. */
  readonly gapMsByKindBefore: Map<string, number>;
}

/**
 * Sweeps the spans' starts and ends over the pod-create window (the pod creates in `namespace` when given: the
 * bench's later cases create pods elsewhere); undefined when there is no such pod create.
 */
export function inFlightTimeline(
  spans: readonly AuditSpan[],
  namespace?: string,
): InFlightTimeline | undefined {
  const creates = spans.filter(
    (s) => s.kind === 'create pods' && (namespace === undefined || s.namespace === namespace),
  );
  if (creates.length === 0) return undefined;
  const from = Math.min(...creates.map((s) => s.startMs));
  const to = Math.max(...creates.map((s) => s.endMs));
  const inWindow = spans.filter((s) => s.endMs > from && s.startMs < to);
  // Ends sort before starts at the same instant, so back-to-back requests do not count as overlapping.
  const points = inWindow.flatMap((s) => [
    { at: Math.max(from, s.startMs), delta: 1, span: s },
    { at: Math.min(to, s.endMs), delta: -1, span: s },
  ]);
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const open = new Set<AuditSpan>();
  let at = from;
  let area = 0;
  let idleMs = 0;
  let lastEnded: AuditSpan | undefined;
  const aloneMsByKind = new Map<string, number>();
  const gapMsByKindBefore = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  for (const p of points) {
    const dt = p.at - at;
    if (dt > 0) {
      area += dt * open.size;
      if (open.size === 0) {
        idleMs += dt;
        add(gapMsByKindBefore, lastEnded?.kind ?? '(window start)', dt);
      } else if (open.size === 1) add(aloneMsByKind, [...open][0]!.kind, dt);
      at = p.at;
    }
    if (p.delta > 0) open.add(p.span);
    else {
      open.delete(p.span);
      lastEnded = p.span;
    }
  }
  const windowMs = to - from;
  return {
    windowMs,
    requests: inWindow.length,
    meanInFlight: windowMs > 0 ? area / windowMs : 0,
    idleMs,
    aloneMsByKind,
    gapMsByKindBefore,
  };
}
