import { z } from 'zod';
import { MESSAGE_STATUSES } from '../message/lifecycle';
import { isCurrencyCode } from '../money/currency';
import { MAX_ID, MAX_LABEL, MAX_MESSAGE_BODY, MAX_PRICE_MINOR } from './limits';

export * from './limits';

/**
 * Text the platform can store and give back byte for byte: PostgreSQL refuses U+0000, and
 * an unpaired surrogate has no UTF-8 form (it would come back as U+FFFD), and a leading
 * U+FEFF reads as a byte-order mark that text decoders drop (PGlite's does when it reads a
 * value back). Everything else — controls, bidi overrides, every plane, U+FEFF after the
 * first character — is stored as sent; the client isolates it.
 */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value) && !value.startsWith('\ufeff');
}

/** A string field of the contract: storable text, with the caller's length bounds. */
export const Text = () =>
  z.string().refine(isStorableText, {
    message: 'must not contain U+0000 or an unpaired surrogate, nor start with a byte-order mark (U+FEFF)',
  });

/** Milliseconds since the epoch. Every time on the wire is one of these. */
export const EpochMs = z.number().int().nonnegative().max(8.64e15);

/** Server-generated identifiers (UUIDs, but clients must treat them as opaque). */
export const Id = Text().min(1).max(MAX_ID);

export const CurrencyCodeSchema = z.string().refine(isCurrencyCode, { message: 'unknown ISO 4217 currency code' });

/** `{ minor: 2500, currency: "USD" }` — an integer count of minor units, never a float. */
export const MoneySchema = z.object({
  minor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: CurrencyCodeSchema,
});
export type MoneyWire = z.infer<typeof MoneySchema>;

/** What one paid DM may cost: more than zero, at most the product's ceiling. */
export const PriceSchema = z.object({
  minor: z.number().int().positive().max(MAX_PRICE_MINOR),
  currency: CurrencyCodeSchema,
});

export const MessageStatusSchema = z.enum(MESSAGE_STATUSES);

export const MessageBody = Text().min(1).max(MAX_MESSAGE_BODY);
export const Label = Text().trim().min(1).max(MAX_LABEL);

/** `draft` (issue 17): write a paid answer for the creator to approve; it moves no money itself. */
export const PERMISSIONS = ['accept', 'refund', 'reply', 'view_earnings', 'manage_fans', 'draft'] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

export const ROLES = ['owner', 'manager'] as const;
export const InboxRoleSchema = z.enum(ROLES);

/** Every mutating request carries this header; a replay returns the stored result. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/**
 * A key binds its request for a day: after that the platform has forgotten it (a job
 * prunes it) and the same key is a new request. Retry within the day.
 */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

/**
 * Every answer carries the platform's clock (epoch ms) in this header: deadlines are the
 * platform's, so clients judge them against this clock, not the device's.
 */
export const PLATFORM_TIME_HEADER = 'x-platform-time';
export const IdempotencyKey = z.string().min(8).max(128);
