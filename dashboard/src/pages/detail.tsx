import { useEffect, useState } from 'react';
import { ApiFailure, api, objectPath } from '../api.ts';
import { Failure, LiveIndicator, StateBadge } from '../components.tsx';
import { useLiveCollection, useLiveList } from '../live-list.ts';
import { jsonLogReader, LogView, useJobLog, usePodLog } from '../log-view.tsx';
import { age } from '../logic/format.ts';
import {
  clusterNameOf,
  conditions,
  headServiceOf,
  KIND_NAMES,
  type Plural,
  type RayObject,
  rayDashboardPath,
  stateOf,
  statusMessage,
} from '../logic/kinds.ts';
import { podLogPath } from '../logic/logs.ts';
import { listHref } from '../logic/route.ts';
import { specSummary } from '../logic/spec-summary.ts';
import { isTerminalJobStatus } from '../logic/submission.ts';
import { useNow } from '../use-now.ts';
import { ScaleForm } from './scale.tsx';
import { JobSubmissions } from './submissions.tsx';
import { SuspendButton } from './suspend.tsx';

interface KubeEvent {
  metadata: { name: string; creationTimestamp?: string };
  regarding?: { kind?: string; name?: string };
  reason?: string;
  note?: string;
  type?: string;
  eventTime?: string;
  deprecatedLastTimestamp?: string;
  deprecatedCount?: number;
}

interface Pod {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  spec?: { containers?: { name: string }[] };
  status?: {
    phase?: string;
    podIP?: string;
    containerStatuses?: { ready?: boolean; restartCount?: number }[];
  };
}

function Events(props: { plural: Plural; namespace: string; name: string; now: number }) {
  const kind = KIND_NAMES[props.plural];
  // The API server streams the events about ray.io objects of the namespace; this object's are kept.
  const live = useLiveCollection<KubeEvent>(
    `/apis/events.k8s.io/v1/namespaces/${encodeURIComponent(props.namespace)}/events`,
    {},
  );
  const events = {
    data:
      live.status === 'loading'
        ? undefined
        : live.items.filter((e) => e.regarding?.kind === kind && e.regarding?.name === props.name),
    error: live.error,
  };
  const when = (e: KubeEvent) => e.deprecatedLastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
  const rows = [...(events.data ?? [])].sort((a, b) => (when(b) ?? '').localeCompare(when(a) ?? ''));
  return (
    <section>
      <h2>Events</h2>
      <Failure error={events.error} what="Cannot read events" />
      <table>
        <thead>
          <tr>
            <th>Type</th>
            <th>Reason</th>
            <th>Age</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.metadata.name}>
              <td className={e.type === 'Warning' ? 'warn' : ''}>{e.type}</td>
              <td>{e.reason}</td>
              <td>
                {age(when(e), props.now)}
                {e.deprecatedCount && e.deprecatedCount > 1 ? ` (×${e.deprecatedCount})` : ''}
              </td>
              <td className="message">{e.note}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {events.data ? 'No events.' : 'loading…'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

/** The log of one container of a Ray pod, followed through the API server's V2 pod log route. */
function PodLog(props: { namespace: string; pod: Pod }) {
  const containers = (props.pod.spec?.containers ?? []).map((c) => c.name);
  const [container, setContainer] = useState(containers[0] ?? '');
  const live = usePodLog(
    podLogPath(props.namespace, props.pod.metadata.name, { container, tailLines: 1000, follow: true }),
  );
  return (
    <>
      {containers.length > 1 && (
        <label>
          Container{' '}
          <select name="log-container" value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      )}
      <LogView live={live} label={`Log of pod ${props.pod.metadata.name} (${container}, last 1000 lines)`} />
    </>
  );
}

/** A RayJob's log from its cluster's Ray dashboard (the Kubernetes Service proxy, as the caller), until it ends. */
function RayJobLog(props: { namespace: string; job: RayObject }) {
  const s = props.job.status ?? {};
  const jobId = typeof s.jobId === 'string' ? s.jobId : '';
  const cluster = typeof s.rayClusterName === 'string' ? s.rayClusterName : '';
  const status = typeof s.jobStatus === 'string' ? s.jobStatus : '';
  const path = `${rayDashboardPath(props.namespace, `${cluster}-head-svc`)}api/jobs/${encodeURIComponent(jobId)}/logs`;
  const live = useJobLog(
    jobId && cluster ? jsonLogReader(path, 'logs') : undefined,
    isTerminalJobStatus(status),
    `${cluster}/${jobId}`,
  );
  if (!jobId || !cluster) return null;
  return (
    <section>
      <h2>Job log</h2>
      <LogView live={live} label={`Log of Ray job ${jobId} (${status || 'not started'})`} />
    </section>
  );
}

function Pods(props: { namespace: string; cluster: string; now: number }) {
  const [selected, setSelected] = useState('');
  const live = useLiveCollection<Pod>(`/api/v1/namespaces/${encodeURIComponent(props.namespace)}/pods`, {
    labelSelector: `ray.io/cluster=${props.cluster}`,
  });
  const pods = { data: live.status === 'loading' ? undefined : live.items, error: live.error };
  return (
    <section>
      <h2>Pods of RayCluster {props.cluster}</h2>
      <Failure error={pods.error} what="Cannot list pods" />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Group</th>
            <th>Phase</th>
            <th>Ready</th>
            <th>Restarts</th>
            <th>IP</th>
            <th>Age</th>
            <th>Logs</th>
          </tr>
        </thead>
        <tbody>
          {(pods.data ?? []).map((p) => {
            const cs = p.status?.containerStatuses ?? [];
            return (
              <tr key={p.metadata.name} className={p.metadata.name === selected ? 'selected' : ''}>
                <td>{p.metadata.name}</td>
                <td>{p.metadata.labels?.['ray.io/node-type']}</td>
                <td>{p.metadata.labels?.['ray.io/group']}</td>
                <td>{p.status?.phase}</td>
                <td>
                  {cs.filter((c) => c.ready).length}/{cs.length}
                </td>
                <td>{cs.reduce((n, c) => n + (c.restartCount ?? 0), 0)}</td>
                <td>{p.status?.podIP}</td>
                <td>{age(p.metadata.creationTimestamp, props.now)}</td>
                <td>
                  <button
                    type="button"
                    className="small secondary"
                    aria-label={`${selected === p.metadata.name ? 'Hide log of' : 'Logs of'} ${p.metadata.name}`}
                    onClick={() => setSelected(selected === p.metadata.name ? '' : p.metadata.name)}
                  >
                    {selected === p.metadata.name ? 'Hide log' : 'Logs'}
                  </button>
                </td>
              </tr>
            );
          })}
          {pods.data?.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                No pods.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {(() => {
        const pod = pods.data?.find((p) => p.metadata.name === selected);
        return pod ? <PodLog key={pod.metadata.name} namespace={props.namespace} pod={pod} /> : null;
      })()}
    </section>
  );
}

/** Job submissions go through the V1 routes, which serve only the clusters the API server created. */
function Submissions(props: { namespace: string; cluster: RayObject }) {
  if (props.cluster.metadata.labels?.['app.kubernetes.io/managed-by'] !== 'kuberay-apiserver')
    return (
      <section>
        <h2>Submit a job</h2>
        <p className="hint" data-testid="submissions-unmanaged">
          Jobs are submitted through the API server's V1 job submission routes, which serve the clusters it
          created (label <code>app.kubernetes.io/managed-by=kuberay-apiserver</code>, e.g. from the compute
          template form). For this cluster, create a RayJob with <code>clusterSelector</code> (Create page).
        </p>
      </section>
    );
  return (
    <JobSubmissions
      namespace={props.namespace}
      cluster={props.cluster.metadata.name}
      state={stateOf('rayclusters', props.cluster)}
    />
  );
}

function RayDashboardLink(props: { namespace: string; cluster: RayObject }) {
  const path = rayDashboardPath(props.namespace, headServiceOf(props.cluster));
  const [version, setVersion] = useState('');
  useEffect(() => {
    const abort = new AbortController();
    api<{ ray_version?: string }>('GET', `${path}api/version`, undefined, abort.signal).then(
      (v) => setVersion(v.ray_version ? `Ray ${v.ray_version} answers` : ''),
      () => setVersion(''),
    );
    return () => abort.abort();
  }, [path]);
  return (
    <p>
      Ray dashboard (Kubernetes Service proxy): <code>{path}</code>{' '}
      {version && <span className="muted">({version})</span>}
      <br />
      <span className="hint">
        Open it with <code>kubectl proxy</code> at{' '}
        <a href={`http://127.0.0.1:8001${path}`}>http://127.0.0.1:8001{path}</a> (a browser link cannot carry
        your bearer token).
      </span>
    </p>
  );
}

function DeleteButton(props: { plural: Plural; namespace: string; name: string }) {
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={async () => {
          if (!window.confirm(`Delete ${KIND_NAMES[props.plural]} ${props.namespace}/${props.name}?`)) return;
          setBusy(true);
          try {
            await api('DELETE', objectPath(props.plural, props.namespace, props.name));
            setError(undefined);
          } catch (err) {
            setError(err instanceof ApiFailure ? err : new ApiFailure(0, String(err)));
          }
          setBusy(false);
        }}
      >
        Delete
      </button>
      <Failure error={error} what="Delete failed" />
    </>
  );
}

export function DetailPage(props: { plural: Plural; namespace: string; name: string }) {
  const live = useLiveList(props.plural, props.namespace, `metadata.name=${props.name}`);
  const now = useNow(5000);
  const obj = live.items.find((o) => o.metadata.name === props.name);
  const kind = KIND_NAMES[props.plural];
  const cluster = obj && clusterNameOf(props.plural, obj);
  return (
    <>
      <p>
        <a href={listHref(props.plural)}>← {kind}s</a>
      </p>
      <h1>
        {kind} {props.namespace}/{props.name} {obj && <StateBadge state={stateOf(props.plural, obj)} />}{' '}
        <LiveIndicator status={live.status} />
      </h1>
      <Failure error={live.error} what={live.status === 'error' ? `Cannot read the ${kind}` : 'Connection'} />
      {!obj && live.status === 'live' && (
        <p className="muted" data-testid="gone">
          {kind} {props.namespace}/{props.name} does not exist (or was deleted).
        </p>
      )}
      {obj && (
        <>
          <div className="actions">
            {(props.plural === 'rayclusters' || props.plural === 'rayjobs') && (
              <SuspendButton plural={props.plural} obj={obj} />
            )}
            <DeleteButton plural={props.plural} namespace={props.namespace} name={props.name} />
          </div>
          {statusMessage(obj) && <p className="status-message">{statusMessage(obj)}</p>}
          <section>
            <h2>Summary</h2>
            <dl className="summary">
              <dt>Created</dt>
              <dd>
                {obj.metadata.creationTimestamp} ({age(obj.metadata.creationTimestamp, now)} ago)
              </dd>
              {specSummary(props.plural, obj).map(([k, v]) => (
                <div key={k} className="row">
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
            </dl>
          </section>
          {props.plural === 'rayclusters' && <ScaleForm namespace={props.namespace} cluster={obj} />}
          <section>
            <h2>Conditions</h2>
            <table>
              <thead>
                <tr>
                  <th>Type</th>
                  <th>Status</th>
                  <th>Reason</th>
                  <th>Since</th>
                  <th>Message</th>
                </tr>
              </thead>
              <tbody>
                {conditions(obj).map((c) => (
                  <tr key={c.type}>
                    <td>{c.type}</td>
                    <td>{c.status}</td>
                    <td>{c.reason}</td>
                    <td>{age(c.lastTransitionTime, now)}</td>
                    <td className="message">{c.message}</td>
                  </tr>
                ))}
                {conditions(obj).length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      No conditions yet.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
          {props.plural === 'rayclusters' && <RayDashboardLink namespace={props.namespace} cluster={obj} />}
          {props.plural === 'rayclusters' && <Submissions namespace={props.namespace} cluster={obj} />}
          {props.plural === 'rayjobs' && <RayJobLog namespace={props.namespace} job={obj} />}
          {cluster && <Pods namespace={props.namespace} cluster={cluster} now={now} />}
          <Events plural={props.plural} namespace={props.namespace} name={props.name} now={now} />
        </>
      )}
    </>
  );
}
