import { useState } from 'react';
import { ApiFailure, api, collectionPath } from '../api.ts';
import { Failure } from '../components.tsx';
import { createTarget } from '../logic/create.ts';
import { detailHref } from '../logic/route.ts';
import { CreateClusterForm } from './create-cluster.tsx';

const SAMPLE = `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: raycluster-sample
spec:
  rayVersion: "2.46.0"
  headGroupSpec:
    rayStartParams: {}
    template:
      spec:
        containers:
          - name: ray-head
            image: rayproject/ray:2.46.0
            resources:
              limits: { cpu: "1", memory: 2Gi }
  workerGroupSpecs:
    - groupName: small
      replicas: 1
      minReplicas: 0
      maxReplicas: 4
      rayStartParams: {}
      template:
        spec:
          containers:
            - name: ray-worker
              image: rayproject/ray:2.46.0
              resources:
                limits: { cpu: "1", memory: 1Gi }
`;

/** Creates any ray.io object from pasted YAML, sent as YAML to the API server (compute templates expand there). */
export function CreatePage(props: { namespace: string; from: 'yaml' | 'template' }) {
  if (props.from === 'template')
    return (
      <>
        <h1>Create a RayCluster from compute templates</h1>
        <CreateTabs from="template" />
        <CreateClusterForm namespace={props.namespace} />
      </>
    );
  return <CreateFromYaml namespace={props.namespace} />;
}

function CreateTabs(props: { from: 'yaml' | 'template' }) {
  return (
    <nav className="tabs" aria-label="How to create">
      <a href="#/create/template" aria-current={props.from === 'template' ? 'page' : undefined}>
        RayCluster from compute templates
      </a>
      <a href="#/create" aria-current={props.from === 'yaml' ? 'page' : undefined}>
        Any ray.io object from YAML
      </a>
    </nav>
  );
}

function CreateFromYaml(props: { namespace: string }) {
  const [text, setText] = useState(SAMPLE);
  const [ns, setNs] = useState(props.namespace);
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const target = createTarget(text, ns.trim());
    if ('error' in target) {
      setError(new ApiFailure(400, target.error));
      return;
    }
    setBusy(true);
    try {
      const created = await api<{ metadata?: { name?: string } }>(
        'POST',
        collectionPath(target.plural, target.namespace),
        { text, contentType: 'application/yaml' },
      );
      setError(undefined);
      window.location.hash = detailHref(
        target.plural,
        target.namespace,
        created.metadata?.name ?? target.name,
      );
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, String(err)));
    }
    setBusy(false);
  };
  return (
    <>
      <h1>Create from YAML</h1>
      <CreateTabs from="yaml" />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          Namespace (unless the YAML sets metadata.namespace){' '}
          <input name="create-namespace" value={ns} onChange={(e) => setNs(e.target.value)} />
        </label>
        <textarea
          name="manifest"
          className="yaml"
          rows={28}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Failure error={error} what="Not created" />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create'}
        </button>
      </form>
    </>
  );
}
