import { useEffect, useState } from 'react';
import { ApiFailure, api } from '../api.ts';
import { Failure } from '../components.tsx';
import '../forms.css';
import {
  type ClusterForm,
  type ComputeTemplate,
  clusterBody,
  DEFAULT_CLUSTER_FORM,
  templateLabel,
} from '../logic/cluster-form.ts';
import { detailHref } from '../logic/route.ts';

const asFailure = (err: unknown) => (err instanceof ApiFailure ? err : new ApiFailure(0, String(err)));

/** The compute templates of a namespace (V1 `compute_templates`: ConfigMaps the caller may list). */
function useTemplates(namespace: string) {
  const [state, setState] = useState<{ items?: ComputeTemplate[]; error?: ApiFailure }>({});
  useEffect(() => {
    if (!namespace) {
      setState({});
      return;
    }
    const abort = new AbortController();
    setState({});
    api<{ computeTemplates?: ComputeTemplate[] }>(
      'GET',
      `/apis/v1/namespaces/${encodeURIComponent(namespace)}/compute_templates`,
      undefined,
      abort.signal,
    ).then(
      (out) => setState({ items: out.computeTemplates ?? [] }),
      (err) => {
        if (!abort.signal.aborted) setState({ error: asFailure(err) });
      },
    );
    return () => abort.abort();
  }, [namespace]);
  return state;
}

function TemplatePicker(props: {
  name: string;
  value: string;
  templates: readonly ComputeTemplate[] | undefined;
  onChange: (v: string) => void;
}) {
  // Without the list (no rights to list ConfigMaps) the name is typed; the API server checks it.
  if (!props.templates)
    return <input name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)} />;
  return (
    <select
      id={props.name}
      name={props.name}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">(choose)</option>
      {props.templates.map((t) => (
        <option key={t.name} value={t.name}>
          {templateLabel(t)}
        </option>
      ))}
    </select>
  );
}

/**
 * A RayCluster from compute templates through the V1 `clusters` route: a head group and at most one worker
 * group, checked before the call; the API server's message when it refuses.
 */
export function CreateClusterForm(props: { namespace: string }) {
  const [form, setForm] = useState<ClusterForm>({ ...DEFAULT_CLUSTER_FORM, namespace: props.namespace });
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  const templates = useTemplates(form.namespace.trim());
  const set = (k: keyof ClusterForm) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const text = (k: keyof ClusterForm, extra: Record<string, string> = {}) => ({
    name: `cluster-${k}`,
    value: String(form[k]),
    onChange: (e: { target: { value: string } }) => set(k)(e.target.value),
    ...extra,
  });
  const submit = async () => {
    const out = clusterBody(form, templates.items);
    if ('error' in out) {
      setError(new ApiFailure(400, out.error));
      return;
    }
    setBusy(true);
    try {
      await api('POST', `/apis/v1/namespaces/${encodeURIComponent(out.body.namespace)}/clusters`, {
        text: JSON.stringify(out.body),
        contentType: 'application/json',
      });
      setError(undefined);
      window.location.hash = detailHref('rayclusters', out.body.namespace, out.body.name);
    } catch (err) {
      setError(asFailure(err));
    }
    setBusy(false);
  };
  return (
    <form
      className="grid"
      aria-label="Create a cluster from compute templates"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        <span>Name</span>
        <input {...text('name')} placeholder="my-cluster" />
      </label>
      <label>
        <span>Namespace</span>
        <input {...text('namespace')} />
      </label>
      <label>
        <span>User (ray.io/user label)</span>
        <input {...text('user')} />
      </label>
      <label>
        <span>Ray version</span>
        <input {...text('version')} />
      </label>
      <label>
        <span>Image</span>
        <input {...text('image')} placeholder={`rayproject/ray:${form.version}`} />
      </label>
      {templates.error && (
        <div className="full">
          <Failure error={templates.error} what="Cannot list compute templates (type their names)" />
        </div>
      )}
      {templates.items?.length === 0 && (
        <p className="full hint">
          No compute templates in {form.namespace}: create one with the V1 <code>compute_templates</code>{' '}
          route (see docs/apiserver.md).
        </p>
      )}
      <fieldset>
        <legend>Head</legend>
        <label htmlFor="cluster-headTemplate">
          <span>Compute template</span>
          <TemplatePicker
            name="cluster-headTemplate"
            value={form.headTemplate}
            templates={templates.items}
            onChange={set('headTemplate')}
          />
        </label>
        <label>
          <span>Ray start parameters (key=value lines)</span>
          <textarea {...text('headParams')} rows={2} />
        </label>
      </fieldset>
      <fieldset>
        <legend>
          <label>
            <input
              type="checkbox"
              name="cluster-withWorkers"
              checked={form.withWorkers}
              onChange={(e) => setForm((f) => ({ ...f, withWorkers: e.target.checked }))}
            />{' '}
            Worker group
          </label>
        </legend>
        {form.withWorkers && (
          <>
            <label>
              <span>Group name</span>
              <input {...text('groupName')} />
            </label>
            <label htmlFor="cluster-workerTemplate">
              <span>Compute template</span>
              <TemplatePicker
                name="cluster-workerTemplate"
                value={form.workerTemplate}
                templates={templates.items}
                onChange={set('workerTemplate')}
              />
            </label>
            <label>
              <span>Replicas</span>
              <input {...text('replicas', { inputMode: 'numeric' })} />
            </label>
            <label>
              <span>Min replicas</span>
              <input {...text('minReplicas', { inputMode: 'numeric' })} />
            </label>
            <label>
              <span>Max replicas</span>
              <input {...text('maxReplicas', { inputMode: 'numeric' })} />
            </label>
            <label>
              <span>Ray start parameters (key=value lines)</span>
              <textarea {...text('workerParams')} rows={2} />
            </label>
          </>
        )}
      </fieldset>
      <div className="full">
        <Failure error={error} what="Not created" />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create cluster'}
        </button>
      </div>
    </form>
  );
}
