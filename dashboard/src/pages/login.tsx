import { useState } from 'react';
import { ApiFailure, api, setToken } from '../api.ts';

/**
 * Takes a Kubernetes bearer token (a ServiceAccount token from `kubectl create token`, or an OIDC id token)
 * and checks it with one list call: 401 is refused here; 403 at the cluster scope is fine (namespace users).
 */
export function LoginPage() {
  const [token, setDraft] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const t = token.trim();
    if (!t) {
      setError('Paste a token first.');
      return;
    }
    setBusy(true);
    setError('');
    setToken(t);
    try {
      await api('GET', '/apis/ray.io/v1/rayclusters?limit=1');
    } catch (err) {
      if (err instanceof ApiFailure && err.status !== 403) {
        setToken('');
        setError(
          err.status === 401
            ? `The API server did not accept this token: ${err.message}`
            : `Cannot check the token: ${err.message}`,
        );
        setBusy(false);
        return;
      }
    }
    setBusy(false);
    window.location.hash = '#/';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  };
  return (
    <div className="login">
      <h1>KubeRay dashboard</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="token">Kubernetes bearer token</label>
        <textarea
          id="token"
          name="token"
          rows={6}
          value={token}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="kubectl create token <serviceaccount> -n <namespace>"
        />
        <p className="hint">
          The token is kept only in this browser tab (sessionStorage) and sent to the API server with each
          call; Kubernetes RBAC decides what you can see and do.
        </p>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
