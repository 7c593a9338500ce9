/**
 * admission.k8s.io/v1 AdmissionReview wire types and the denial format of KubeRay's webhooks: an `Invalid`
 * Status (422) whose message is `<Kind>.ray.io "<name>" is invalid: <field>: Invalid value: <value>: <detail>`,
 * as Kubernetes' field errors render it (several errors are joined as `[e1, e2]`).
 */

export interface AdmissionRequest {
  readonly uid: string;
  readonly kind?: { readonly group: string; readonly version: string; readonly kind: string };
  readonly operation?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly object?: unknown;
  readonly oldObject?: unknown;
}

export interface AdmissionReview {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly request?: AdmissionRequest;
  readonly response?: AdmissionResponse;
}

export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field: string;
}

export interface Status {
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly StatusCause[];
  };
  readonly code: number;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: Status;
  readonly warnings?: readonly string[];
}

/** One rejected field: its path, the offending value and the reason text. */
export interface FieldError {
  readonly field: string;
  readonly value: unknown;
  readonly detail: string;
}

/**
 * A value as Kubernetes' field errors print it: strings quoted, numbers and booleans bare, null as `null`,
 * objects as compact JSON (Go prints structs with `%#v`, which has no TypeScript equivalent).
 */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function fieldErrorText(e: FieldError): string {
  return `${e.field}: Invalid value: ${renderValue(e.value)}: ${e.detail}`;
}

/** The `Invalid` Status for a kind's field errors (what apierrors.NewInvalid builds). */
export function invalidStatus(
  kind: string,
  group: string,
  name: string,
  errors: readonly FieldError[],
): Status {
  const texts = errors.map(fieldErrorText);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return {
    metadata: {},
    status: 'Failure',
    message: `${kind}.${group} "${name}" is invalid: ${joined}`,
    reason: 'Invalid',
    details: {
      name,
      group,
      kind,
      causes: errors.map((e) => ({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${renderValue(e.value)}: ${e.detail}`,
        field: e.field,
      })),
    },
    code: 422,
  };
}

/** A `BadRequest` Status for a review that cannot be decoded. */
export function badRequestStatus(message: string): Status {
  return { metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 };
}

export function reviewOf(response: AdmissionResponse): AdmissionReview {
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
}
