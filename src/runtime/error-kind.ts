import { ApiError } from '../k8s/api-error.ts';
import { TerminalError } from '../lib/errors.ts';

/**
 * How the controller treats a reconcile error:
 * - `terminal`: a TerminalError; logged, not retried.
 * - `conflict`: a write raced a newer version (a stale cache); retried with backoff, logged at debug only.
 * - `namespaceTerminating`: the namespace is being deleted, so nothing new can be created in it; not retried
 *   (the namespace's deletion removes the object, and any later change enqueues it again), no error log.
 * - `gone`: the object's own status write found it deleted; not retried (deletion is noticed as absence).
 * - `error`: anything else; retried with backoff and logged as an error.
 */
type ReconcileErrorKind = 'terminal' | 'conflict' | 'namespaceTerminating' | 'gone' | 'error';

const statusPath = /\/status$/;

function apiErrorKind(e: ApiError): ReconcileErrorKind {
  if (e.isNamespaceTerminating()) return 'namespaceTerminating';
  if (e.isConflict()) return 'conflict';
  if (e.isNotFound() && e.method !== 'GET' && statusPath.test(e.path)) return 'gone';
  return 'error';
}

/**
 * Classifies a reconcile error by the API errors it carries: the error itself, its `cause` chain, and the
 * members of an AggregateError (several failed writes of one reconcile). A terminating namespace in any
 * member wins; otherwise the error is quiet only when every member is of the same quiet kind.
 */
export function reconcileErrorKind(err: unknown, depth = 0): ReconcileErrorKind {
  if (err instanceof TerminalError) return 'terminal';
  if (err instanceof ApiError) return apiErrorKind(err);
  if (depth > 8) return 'error';
  if (err instanceof AggregateError && err.errors.length > 0) {
    const kinds = err.errors.map((e) => reconcileErrorKind(e, depth + 1));
    if (kinds.includes('namespaceTerminating')) return 'namespaceTerminating';
    return kinds.every((k) => k === kinds[0]) ? kinds[0]! : 'error';
  }
  if (err instanceof Error && err.cause !== undefined) return reconcileErrorKind(err.cause, depth + 1);
  return 'error';
}
