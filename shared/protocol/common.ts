import { z } from 'zod';
import { MESSAGE_STATUSES } from '../message/lifecycle';
import { isCurrencyCode } from '../money/currency';

/** Milliseconds since the epoch. Every time on the wire is one of these. */
export const EpochMs = z.number().int().nonnegative().max(8.64e15);

/** Server-generated identifiers (UUIDs, but clients must treat them as opaque). */
export const Id = z.string().min(1).max(64);

export const CurrencyCodeSchema = z.string().refine(isCurrencyCode, { message: 'unknown ISO 4217 currency code' });

/** `{ minor: 2500, currency: "USD" }` — an integer count of minor units, never a float. */
export const MoneySchema = z.object({
  minor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: CurrencyCodeSchema,
});
export type MoneyWire = z.infer<typeof MoneySchema>;

export const MessageStatusSchema = z.enum(MESSAGE_STATUSES);

/** Free text from people; the limits keep one message from swamping a page or a row. */
export const MAX_MESSAGE_BODY = 20_000;
export const MAX_REPLY_BODY = 20_000;
export const MAX_NOTE_BODY = 5_000;
export const MAX_LABEL = 64;

export const MessageBody = z.string().min(1).max(MAX_MESSAGE_BODY);
export const Label = z.string().trim().min(1).max(MAX_LABEL);

export const PERMISSIONS = ['accept', 'refund', 'reply', 'view_earnings'] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

export const ROLES = ['owner', 'manager'] as const;
export const InboxRoleSchema = z.enum(ROLES);

/** Every mutating request carries this header; a replay returns the stored result. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IdempotencyKey = z.string().min(8).max(128);
