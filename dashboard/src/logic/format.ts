/** Display formatting, pure: `now` is passed in. */

/** kubectl's short age: 45s, 12m, 5h, 3d (2y past a year); "" for a missing or bad timestamp. */
export function age(timestamp: string | undefined, now: number): string {
  const t = Date.parse(timestamp ?? '');
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** The message of a failed call: a Kubernetes Status's, a grpc-gateway error's, or the text itself. */
export function errorText(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown };
    if (typeof b.message === 'string' && b.message) return b.message;
    if (typeof b.error === 'string' && b.error) return b.error;
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 2000);
  return `HTTP ${status}`;
}

/** What to tell a user who got 401 or 403, with the server's own words. */
export function accessMessage(status: number, message: string): string {
  if (status === 401)
    return `Your token was not accepted (401): ${message}. Log in again with a valid token.`;
  if (status === 403) return `You do not have access (403): ${message}`;
  return message;
}

/** A short one-line summary of a worker group: `workers 2 (min 1, max 5)`. */
export function replicasText(g: { replicas?: number; minReplicas?: number; maxReplicas?: number }): string {
  const r = g.replicas ?? 0;
  const bounds = [
    g.minReplicas !== undefined ? `min ${g.minReplicas}` : '',
    g.maxReplicas !== undefined ? `max ${g.maxReplicas}` : '',
  ].filter(Boolean);
  return bounds.length ? `${r} (${bounds.join(', ')})` : String(r);
}
