import type { DecisionDetails, ErrorCode } from '../shared/protocol';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  already_decided: 409,
  deadline_passed: 409,
  not_accepted: 409,
  insufficient_funds: 402,
  not_accepting: 409,
  fan_blocked: 403,
  idempotency_mismatch: 422,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  internal: 500,
};

/** A refusal the client can act on: becomes `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);
export const forbidden = (why: string) => new ApiError('forbidden', why);

export function alreadyDecided(details: DecisionDetails): ApiError {
  const who = details.decidedBy ? ` by ${details.decidedBy.name}` : ' by the platform';
  return new ApiError(
    'already_decided',
    `This message was already ${details.status}${who} at ${new Date(details.decidedAt).toISOString()}`,
    details,
  );
}
