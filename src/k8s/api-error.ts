import { KuberayError } from '../lib/errors.ts';

/** A Kubernetes `Status` object as returned on failures. */
export interface StatusBody {
  readonly kind?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: unknown;
}

/** An HTTP error from the Kubernetes API server (or a transport failure, with status 0). */
export class ApiError extends KuberayError {
  readonly status: number;
  readonly reason: string;
  readonly body: StatusBody | undefined;
  readonly method: string;
  readonly path: string;
  constructor(
    method: string,
    path: string,
    status: number,
    body: StatusBody | undefined,
    options?: { cause?: unknown },
  ) {
    const detail = body?.message ?? (status === 0 ? 'transport error' : `HTTP ${status}`);
    super(`${method} ${path}: ${detail}`, options);
    this.status = status;
    this.reason = body?.reason ?? '';
    this.body = body;
    this.method = method;
    this.path = path;
  }
  isNotFound(): boolean {
    return this.status === 404;
  }
  isConflict(): boolean {
    return this.status === 409 && this.reason !== 'AlreadyExists';
  }
  isAlreadyExists(): boolean {
    return this.status === 409 && this.reason === 'AlreadyExists';
  }
  isGone(): boolean {
    return this.status === 410;
  }
  isInvalid(): boolean {
    return this.status === 422;
  }
  /**
   * The API server refuses new objects in a namespace that is being deleted: 403 with a status cause of type
   * NamespaceTerminating (the message "... because it is being terminated" on servers that omit the cause).
   */
  isNamespaceTerminating(): boolean {
    if (this.status !== 403) return false;
    const causes = (this.body?.details as { causes?: { type?: string }[] } | undefined)?.causes;
    if (Array.isArray(causes) && causes.some((c) => c?.type === 'NamespaceTerminating')) return true;
    return /because it is being terminated/.test(this.body?.message ?? '');
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.isNotFound();
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.isConflict();
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.isAlreadyExists();
export const isNamespaceTerminating = (e: unknown): boolean =>
  e instanceof ApiError && e.isNamespaceTerminating();
