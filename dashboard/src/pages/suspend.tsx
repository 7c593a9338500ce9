import { useState } from 'react';
import { ApiFailure, api, objectPath } from '../api.ts';
import { Failure } from '../components.tsx';
import { KIND_NAMES, type Plural, type RayObject } from '../logic/kinds.ts';

/**
 * Suspends or resumes a RayCluster or RayJob by setting `spec.suspend` (a merge patch through the API server,
 * as the caller), after a confirmation. The operator then deletes or recreates the pods.
 */
export function SuspendButton(props: { plural: Plural; obj: RayObject }) {
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  const { namespace = '', name } = props.obj.metadata;
  const suspended = props.obj.spec?.suspend === true;
  const verb = suspended ? 'Resume' : 'Suspend';
  const what = `${KIND_NAMES[props.plural]} ${namespace}/${name}`;
  const question = suspended
    ? `Resume ${what}? Its pods are created again.`
    : `Suspend ${what}? Its pods are deleted until it is resumed${props.plural === 'rayjobs' ? ' (a running job is stopped)' : ''}.`;
  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={async () => {
          if (!window.confirm(question)) return;
          setBusy(true);
          try {
            await api('PATCH', objectPath(props.plural, namespace, name), {
              text: JSON.stringify({ spec: { suspend: !suspended } }),
              contentType: 'application/merge-patch+json',
            });
            setError(undefined);
          } catch (err) {
            setError(err instanceof ApiFailure ? err : new ApiFailure(0, String(err)));
          }
          setBusy(false);
        }}
      >
        {verb}
      </button>
      <Failure error={error} what={`${verb} failed`} />
    </>
  );
}
