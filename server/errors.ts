import type { DecisionDetails, ErrorBody, ErrorCode } from '../shared/protocol';

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
  unsupported_media_type: 415,
  terms_changed: 409,
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

/** The one shape every refusal leaves in: `{ error: { code, message, details } }`. */
export function errorBody(error: ApiError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    },
  };
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

/**
 * Database constraint violations that are the caller's problem, by constraint NAME: a
 * CHECK failing is not always "insufficient funds", and a duplicate is not always the same
 * duplicate. A violation of any constraint not listed here is a platform bug (500).
 */
const CONSTRAINT_REFUSALS: Record<string, () => ApiError> = {
  accounts_check: () => new ApiError('insufficient_funds', 'Not enough funds for this payment'),
  users_email_key: () => new ApiError('conflict', 'An account with this email already exists'),
  inboxes_handle_key: () => new ApiError('conflict', 'This handle is taken'),
  invitations_open_once: () => new ApiError('conflict', 'This person already has an open invitation to this inbox'),
};

/** The refusal a database error stands for, or null when it is not the caller's to fix. */
export function constraintRefusal(error: unknown): ApiError | null {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  if (typeof constraint !== 'string') return null;
  return CONSTRAINT_REFUSALS[constraint]?.() ?? null;
}

/**
 * Whether a refusal is the final answer to its request, to be stored under its
 * idempotency key and replayed. Refusals about who asks (session, membership,
 * permission) are not: access is re-checked on every attempt, so a stored one could
 * neither lock out someone given access later nor — the other way round — matter.
 */
export function isStoredRefusal(error: ApiError): boolean {
  return error.status >= 400 && error.status < 500 && !ACCESS_CODES.has(error.code) && error.code !== 'rate_limited';
}
const ACCESS_CODES: ReadonlySet<ErrorCode> = new Set(['unauthenticated', 'forbidden', 'not_found', 'fan_blocked']);
