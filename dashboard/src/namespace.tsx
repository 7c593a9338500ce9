import { useCallback, useEffect, useState } from 'react';
import { api, getToken } from './api.ts';
import { adviseScope, remember, type ScopeAdvice, tokenNamespace } from './logic/access.ts';

const KEY = 'kuberay-ts.namespace';
const KNOWN_KEY = 'kuberay-ts.namespaces';

function knownNamespaces(): string[] {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(KNOWN_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The namespace every page works in ("" = all namespaces), kept in this tab's sessionStorage with the
 * namespaces chosen before (offered again by the picker).
 */
export function useNamespace(): [string, (ns: string) => void] {
  const [ns, setNs] = useState(() => sessionStorage.getItem(KEY) ?? '');
  const choose = useCallback((next: string) => {
    sessionStorage.setItem(KEY, next);
    if (next) sessionStorage.setItem(KNOWN_KEY, JSON.stringify(remember(knownNamespaces(), next)));
    setNs(next);
  }, []);
  return [ns, choose];
}

/** The namespaces to offer: the token's own (a ServiceAccount's) and the ones chosen before. */
function candidates(): string[] {
  const own = tokenNamespace(getToken());
  return [...new Set([...(own ? [own] : []), ...knownNamespaces()])];
}

export function NamespacePicker(props: { value: string; onChange: (ns: string) => void }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  return (
    <form
      className="ns"
      onSubmit={(e) => {
        e.preventDefault();
        props.onChange(draft.trim());
      }}
    >
      <label>
        Namespace{' '}
        <input
          name="namespace"
          placeholder="all namespaces"
          list="known-namespaces"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => props.onChange(draft.trim())}
        />
      </label>
      <datalist id="known-namespaces">
        {candidates().map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
    </form>
  );
}

/** "May I list rayclusters in `namespace` ('' = all)?", a SelfSubjectAccessReview through the API server. */
async function mayList(namespace: string, signal: AbortSignal): Promise<boolean> {
  const review = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: { group: 'ray.io', resource: 'rayclusters', verb: 'list', namespace },
    },
  };
  const out = await api<{ status?: { allowed?: boolean } }>(
    'POST',
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    { text: JSON.stringify(review), contentType: 'application/json' },
    signal,
  );
  return out.status?.allowed === true;
}

/**
 * Checks the chosen namespace (or all) before the pages list anything: a user without rights there is moved to
 * a namespace where they have them (the token's, or one chosen before), or told plainly where they have none.
 */
export function ScopeNotice(props: { namespace: string; onChange: (ns: string) => void }) {
  const [advice, setAdvice] = useState<ScopeAdvice & { moved?: string }>({ kind: 'ok' });
  const { namespace, onChange } = props;
  useEffect(() => {
    const abort = new AbortController();
    void (async () => {
      try {
        const allowed = await mayList(namespace, abort.signal);
        if (allowed) {
          setAdvice((a) => (a.kind === 'switch' && a.to === namespace ? a : { kind: 'ok' }));
          return;
        }
        const checked = [];
        for (const c of candidates().filter((c) => c !== namespace))
          checked.push({ namespace: c, allowed: await mayList(c, abort.signal) });
        const next = adviseScope({ namespace, allowed, candidates: checked });
        setAdvice(next);
        if (next.kind === 'switch') onChange(next.to);
      } catch {
        // The pages show the API server's own message for a failed list.
        if (!abort.signal.aborted) setAdvice({ kind: 'ok' });
      }
    })();
    return () => abort.abort();
  }, [namespace, onChange]);
  if (advice.kind === 'ok') return null;
  if (advice.kind === 'switch')
    return (
      <div className="banner" role="status" data-testid="scope">
        {advice.message}
      </div>
    );
  return (
    <div className="error" role="alert" data-testid="scope">
      {advice.message}{' '}
      {advice.offer.map((n) => (
        <button key={n} type="button" className="link" onClick={() => onChange(n)}>
          {n}
        </button>
      ))}
    </div>
  );
}
