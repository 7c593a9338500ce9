import { useState } from 'react';

const KEY = 'kuberay-ts.namespace';

/** The namespace every page works in ("" = all namespaces), kept in this tab's sessionStorage. */
export function useNamespace(): [string, (ns: string) => void] {
  const [ns, setNs] = useState(() => sessionStorage.getItem(KEY) ?? '');
  return [
    ns,
    (next: string) => {
      sessionStorage.setItem(KEY, next);
      setNs(next);
    },
  ];
}

export function NamespacePicker(props: { value: string; onChange: (ns: string) => void }) {
  const [draft, setDraft] = useState(props.value);
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
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => props.onChange(draft.trim())}
        />
      </label>
    </form>
  );
}
