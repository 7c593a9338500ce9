import { KuberayError } from '../../lib/errors.ts';

/** gRPC status codes (google.golang.org/grpc/codes), the `code` of every error body. */
export const Code = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

export const codeNames: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(Code).map(([k, v]) => [v, k]),
);

/** The HTTP status grpc-gateway's runtime.HTTPStatusFromCode gives each gRPC code (any other: 500). */
const httpStatusOfCode: Readonly<Record<number, number>> = {
  [Code.OK]: 200,
  [Code.Canceled]: 499,
  [Code.InvalidArgument]: 400,
  [Code.FailedPrecondition]: 400,
  [Code.OutOfRange]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.Aborted]: 409,
  [Code.PermissionDenied]: 403,
  [Code.Unauthenticated]: 401,
  [Code.ResourceExhausted]: 429,
  [Code.Unimplemented]: 501,
  [Code.Unavailable]: 503,
};

export function httpStatusFromCode(code: number): number {
  return httpStatusOfCode[code] ?? 500;
}

/** The gRPC code for an HTTP status (the Kubernetes API server's or a dashboard's), as grpc-go's HTTP mapping. */
export function codeFromHttpStatus(status: number): Code {
  if (status === 400) return Code.InvalidArgument;
  if (status === 401) return Code.Unauthenticated;
  if (status === 403) return Code.PermissionDenied;
  if (status === 404) return Code.NotFound;
  if (status === 409) return Code.AlreadyExists;
  if (status === 422) return Code.InvalidArgument;
  if (status === 429) return Code.ResourceExhausted;
  if (status === 501) return Code.Unimplemented;
  if (status === 503) return Code.Unavailable;
  if (status === 504) return Code.DeadlineExceeded;
  return Code.Internal;
}

/** An error answered to the client as a google.rpc.Status body with the HTTP status of its code. */
export class RpcError extends KuberayError {
  readonly code: Code;
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  get httpStatus(): number {
    return httpStatusFromCode(this.code);
  }
}

/** The body grpc-gateway's DefaultHTTPErrorHandler writes: `{"code":..,"message":..,"details":[]}`. */
export function statusBody(code: number, message: string): { code: number; message: string; details: [] } {
  return { code, message, details: [] };
}
