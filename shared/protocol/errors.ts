import { z } from 'zod';
import { EpochMs, Id, MessageStatusSchema } from './common';

/** Stable machine-readable codes; the message is for people, the code is for code. */
export const ERROR_CODES = [
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'already_decided',
  'deadline_passed',
  'not_accepted',
  'insufficient_funds',
  'not_accepting',
  'fan_blocked',
  'idempotency_mismatch',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'terms_changed',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** Who decided a message first: sent with `already_decided` so the loser can be told. */
export const DecisionDetailsSchema = z.object({
  status: MessageStatusSchema,
  decidedAt: EpochMs,
  decidedBy: z.object({ id: Id, name: z.string() }).nullable(),
});
export type DecisionDetails = z.infer<typeof DecisionDetailsSchema>;

/** The one error shape of every route: `{ error: { code, message, details } }`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Final answers: retrying the same request cannot change them. */
export function isFinalError(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}
