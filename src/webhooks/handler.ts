import {
  type AdmissionResponse,
  type AdmissionReview,
  badRequestStatus,
  invalidStatus,
  reviewOf,
} from './admission.ts';
import { type KindValidator, validators } from './validators.ts';

const GROUP = 'ray.io';

/** The outcome of one webhook call: the verdict, for logging, and the review to send back. */
export interface AdmissionOutcome {
  readonly review: AdmissionReview;
  readonly allowed: boolean;
  readonly kind: string;
  readonly operation: string;
  readonly namespace: string;
  readonly name: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deny(uid: string, message: string): AdmissionResponse {
  return { uid, allowed: false, status: badRequestStatus(message) };
}

/** Validates one decoded AdmissionReview for a validator. Pure: the HTTPS server only moves bytes. */
export function admit(v: KindValidator, body: unknown): AdmissionOutcome {
  const request = isObject(body) && isObject(body.request) ? body.request : undefined;
  const uid = typeof request?.uid === 'string' ? request.uid : '';
  const operation = typeof request?.operation === 'string' ? request.operation : '';
  const base = { kind: v.kind, operation, namespace: String(request?.namespace ?? ''), name: '' };
  if (!request || !uid) {
    const review = reviewOf(
      deny(uid, 'the body is not an admission.k8s.io/v1 AdmissionReview with a request'),
    );
    return { ...base, review, allowed: false };
  }
  // Deletions and connects are always allowed (KubeRay's ValidateDelete accepts everything).
  if (operation !== 'CREATE' && operation !== 'UPDATE') {
    return { ...base, review: reviewOf({ uid, allowed: true }), allowed: true };
  }
  const obj = request.object;
  if (!isObject(obj) || !isObject(obj.metadata)) {
    const review = reviewOf(deny(uid, `request.object: a ${v.kind} with metadata is required`));
    return { ...base, review, allowed: false };
  }
  const metadata = obj.metadata as { name?: string };
  const name = typeof metadata.name === 'string' ? metadata.name : String(request.name ?? '');
  const errors = v.validate({ ...(obj as object), metadata: { ...metadata, name } } as never);
  if (errors.length === 0) return { ...base, name, review: reviewOf({ uid, allowed: true }), allowed: true };
  const status = invalidStatus(v.kind, GROUP, name, errors);
  return { ...base, name, review: reviewOf({ uid, allowed: false, status }), allowed: false };
}

/** The validator served at a URL path, if any. */
export function validatorFor(path: string): KindValidator | undefined {
  return validators.find((v) => v.path === path);
}
