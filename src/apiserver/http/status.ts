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

/** The HTTP status grpc-gateway's runtime.HTTPStatusFromCode gives each gRPC code. */
export function httpStatusFromCode(code: number): number {
  switch (code) {
    case Code.OK:
      return 200;
    case Code.Canceled:
      return 499;
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
    case Code.OutOfRange:
      return 400;
    case Code.DeadlineExceeded:
      return 504;
    case Code.NotFound:
      return 404;
    case Code.AlreadyExists:
    case Code.Aborted:
      return 409;
    case Code.PermissionDenied:
      return 403;
    case Code.Unauthenticated:
      return 401;
    case Code.ResourceExhausted:
      return 429;
    case Code.Unimplemented:
      return 501;
    case Code.Unavailable:
      return 503;
    default:
      return 500;
  }
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

export const notFound = (message: string): RpcError => new RpcError(Code.NotFound, message);

/** The body grpc-gateway's DefaultHTTPErrorHandler writes: `{"code":..,"message":..,"details":[]}`. */
export function statusBody(code: number, message: string): { code: number; message: string; details: [] } {
  return { code, message, details: [] };
}
