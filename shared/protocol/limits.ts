/**
 * Every size and number limit of the wire contract, declared once. The platform refuses
 * on write what exceeds them (the request schemas), the client refuses on read what
 * exceeds them (the entity schemas it parses feed pages with), and the UI's forms check
 * the same numbers — so nothing the platform stores can be something a device will not
 * apply, and no sync can stall on it.
 */

/** Free text from people: one message must not swamp a page or a row. */
export const MAX_MESSAGE_BODY = 20_000;
export const MAX_REPLY_BODY = 20_000;
export const MAX_NOTE_BODY = 5_000;
export const MAX_NOTE_TO_FAN = 500;
/** Names of people and devices, labels, emails: one line each. */
export const MAX_DISPLAY_NAME = 80;
export const MAX_DEVICE_NAME = 80;
export const MAX_LABEL = 64;
export const MAX_EMAIL = 254;
export const MAX_PASSWORD = 256;
/** Server-made identifiers are UUIDs; the room is for opaque ids of other platforms. */
export const MAX_ID = 64;

/** Labels one message may carry, and labels one triage change may add or remove. */
export const MAX_LABELS_PER_MESSAGE = 50;
export const MAX_LABELS_PER_CHANGE = 20;
/** A permission list names each permission once; the slack allows a client's duplicates. */
export const MAX_PERMISSIONS_LISTED = 16;

/** PostgreSQL `integer` columns (max_pending, daily_cap, fee_bps) hold at most this. */
export const INT4_MAX = 2_147_483_647;

/**
 * Money ceilings in minor units. A paid DM costs at most 1,000,000 minor units (10,000.00
 * in a two-decimal currency); a single top-up brings at most 100,000,000.
 */
export const MAX_PRICE_MINOR = 1_000_000;
export const MAX_TOP_UP_MINOR = 100_000_000;

/** Product limits of the inbox's intake settings; both fit an `integer` column. */
export const MAX_PENDING_LIMIT = 100_000;
export const MAX_DAILY_CAP = 100_000;
