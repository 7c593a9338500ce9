import { useState } from 'react';
import { ApiFailure, api, objectPath } from '../api.ts';
import { Failure } from '../components.tsx';
import type { RayObject } from '../logic/kinds.ts';
import { scalePatch, workerGroupsOf } from '../logic/scale.ts';

/** Sets one worker group's replicas with a guarded JSON patch; the API server's message on failure. */
export function ScaleForm(props: { namespace: string; cluster: RayObject }) {
  const groups = workerGroupsOf(props.cluster.spec);
  const [group, setGroup] = useState(groups[0]?.groupName ?? '');
  const [replicas, setReplicas] = useState('');
  const [error, setError] = useState<ApiFailure>();
  const [done, setDone] = useState('');
  if (groups.length === 0) return null;
  const submit = async () => {
    setDone('');
    const out = scalePatch(groups, group, replicas.trim() === '' ? Number.NaN : Number(replicas));
    if ('error' in out) {
      setError(new ApiFailure(400, out.error));
      return;
    }
    try {
      await api('PATCH', objectPath('rayclusters', props.namespace, props.cluster.metadata.name), {
        text: JSON.stringify(out.patch),
        contentType: 'application/json-patch+json',
      });
      setError(undefined);
      setDone(`Worker group "${group}" set to ${replicas} replicas.`);
    } catch (err) {
      setError(err instanceof ApiFailure ? err : new ApiFailure(0, String(err)));
    }
  };
  return (
    <section>
      <h2>Scale a worker group</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <select name="group" value={group} onChange={(e) => setGroup(e.target.value)}>
          {groups.map((g) => (
            <option key={g.groupName} value={g.groupName}>
              {g.groupName} (now {g.replicas ?? 0})
            </option>
          ))}
        </select>
        <input
          name="replicas"
          type="number"
          min={0}
          placeholder="replicas"
          value={replicas}
          onChange={(e) => setReplicas(e.target.value)}
        />
        <button type="submit">Scale</button>
      </form>
      {done && <p className="ok">{done}</p>}
      <Failure error={error} what="Scale failed" />
    </section>
  );
}
