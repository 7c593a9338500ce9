import type { KubeClient } from '../../k8s/client.ts';
import type { Logger } from '../../lib/logger.ts';
import { type EventRecorder, type EventSubject, KubeEventRecorder } from '../../runtime/events.ts';

/**
 * The one event interface of every controller: `recorder.record(obj, { type, reason, action?, message })`.
 * The implementation is the operator's recorder in src/runtime/events.ts (client-go's spam filter and
 * aggregation, a client of its own); each controller records through `deps.recorder.recorderFor(<its name>)`
 * so its Events carry KubeRay's `source.component` for that controller (see componentNames).
 */
export type {
  EventRecord,
  EventRecorder,
  EventRecorderProvider,
  EventSubject,
  EventType,
  RecordedEvent,
} from '../../runtime/events.ts';
export { MemoryEventRecorder } from '../../runtime/events.ts';

/** KubeRay's `GetEventRecorderFor` name of each controller: the `source.component` of its Events. */
export const componentNames = {
  rayCluster: 'raycluster-controller',
  rayJob: 'rayjob-controller',
  rayService: 'rayservice-controller',
  rayCronJob: 'raycronjob-controller',
  networkPolicy: 'networkpolicy-controller',
  mtls: 'raycluster-mtls-controller',
} as const;

/** A recorder of its own for a controller built without the operator's (tests, the benchmark). */
export function defaultEventRecorder(client: KubeClient, component: string, logger?: Logger): EventRecorder {
  return new KubeEventRecorder({ client, ...(logger ? { logger } : {}) }).recorderFor(component);
}

/** The Event of one outcome of a write: its reason, optional action, and message. */
interface WriteEvent<M> {
  readonly reason: string;
  readonly action?: string;
  readonly message: M;
}

/**
 * Runs one write of a controller and records its Event on `subject`: a Warning from `failed` (its message
 * built from the error, which is then rethrown) when the write throws, else a Normal one from `ok`.
 */
export async function recordedWrite<T>(
  events: EventRecorder,
  subject: EventSubject,
  write: () => Promise<T>,
  ok: WriteEvent<string>,
  failed: WriteEvent<(err: unknown) => string>,
): Promise<T> {
  const record = (type: 'Normal' | 'Warning', e: WriteEvent<unknown>, message: string) =>
    events.record(subject, { type, reason: e.reason, ...(e.action ? { action: e.action } : {}), message });
  let out: T;
  try {
    out = await write();
  } catch (err) {
    record('Warning', failed, failed.message(err));
    throw err;
  }
  record('Normal', ok, ok.message);
  return out;
}
