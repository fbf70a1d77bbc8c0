import {
  isValidResponseWindow,
  MAX_RESPONSE_WINDOW_MS,
  MIN_RESPONSE_WINDOW_MS,
  tierProblem,
  tierProblemText,
  tiersOf,
} from '../../shared/message';
import type { InboxSettings, InboxSettingsAnswer, RouteBody, RouteResponse } from '../../shared/protocol';
import { ApiError, notFound } from '../errors';
import { lockInbox, requireFan, requireMember } from './access';
import { requireAllowed } from './actions';
import { audit } from './audit';
import type { Actor, Tx } from './context';
import {
  FAN_TERMS_COLUMNS,
  type FanTermsColumns,
  loadSettings,
  SETTINGS_COLUMNS,
  type SettingsRow,
  toFanTerms,
  toSettings,
} from './entities';
import { offerFor } from './fans';

const DAY_MS = 86_400_000;

export async function getSettings(tx: Tx, actor: Actor, inboxId: string): Promise<InboxSettings> {
  await requireMember(tx, actor, inboxId);
  return loadSettings(tx.sql, inboxId);
}

export async function updateSettings(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  patch: RouteBody<'updateSettings'>,
): Promise<InboxSettingsAnswer> {
  await lockInbox(tx, inboxId);
  requireAllowed(await requireMember(tx, actor, inboxId), { kind: 'settings', patch }, null, tx.now);
  const before = await loadSettings(tx.sql, inboxId);
  const next: InboxSettings = { ...before, ...patch } as InboxSettings;
  if (!isValidResponseWindow(next.responseWindowMs)) {
    throw new ApiError(
      'invalid_request',
      `The response window must be between ${MIN_RESPONSE_WINDOW_MS / 3_600_000} hour and ${MAX_RESPONSE_WINDOW_MS / 86_400_000} days`,
      { field: 'responseWindowMs' },
    );
  }
  if (next.price.minor <= 0) {
    throw new ApiError('invalid_request', 'The price must be more than zero', { field: 'price' });
  }
  const problem = tierProblem(next);
  if (problem) throw new ApiError('invalid_request', tierProblemText(problem), { field: 'fasterTiers', ...problem });
  await tx.sql.query(
    `UPDATE inboxes SET accepting_paid_dms = $2, price_minor = $3, currency = $4, response_window_ms = $5,
       paused = $6, max_pending = $7, daily_cap = $8, faster_tiers = $9::jsonb WHERE id = $1`,
    [
      inboxId,
      next.acceptingPaidDms,
      next.price.minor,
      next.price.currency,
      next.responseWindowMs,
      next.paused,
      next.maxPending,
      next.dailyCap,
      JSON.stringify(next.fasterTiers),
    ],
  );
  const changed = Object.keys(patch).filter(
    (key) => JSON.stringify(before[key as keyof InboxSettings]) !== JSON.stringify(next[key as keyof InboxSettings]),
  );
  const seq = tx.change(inboxId, 'settings', inboxId, next);
  await audit(tx, inboxId, actor, 'settings.update', inboxId, { changed });
  return seq === null ? next : { ...next, seq };
}

export interface InboxRow extends SettingsRow, FanTermsColumns {
  id: string;
  owner_id: string;
  handle: string;
  owner_name: string;
}

/**
 * An inbox by its handle (locked for a send), with the asking fan's own terms read in the
 * same query: a send under the inbox lock makes no extra round trip for them.
 */
export async function findInboxByHandle(
  tx: Tx,
  handle: string,
  lock = false,
  fanId: string | null = null,
): Promise<InboxRow> {
  const rows = await tx.sql.query<InboxRow>(
    `SELECT i.id, i.owner_id, i.handle, o.display_name AS owner_name, ${SETTINGS_COLUMNS.split(', ')
      .map((c) => `i.${c}`)
      .join(', ')}, ${FAN_TERMS_COLUMNS}
     FROM inboxes i JOIN users o ON o.id = i.owner_id
       LEFT JOIN fan_terms t ON t.inbox_id = i.id AND t.fan_id = $2
     WHERE i.handle = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
    [handle, fanId],
  );
  const row = rows[0];
  if (!row) throw notFound('Creator');
  return row;
}

export type NotAcceptingReason = 'off' | 'paused' | 'max_pending' | 'daily_cap';

/** Why the inbox cannot take a paid DM right now, or null when it can. Asked before anyone pays. */
export async function notAcceptingReason(tx: Tx, inbox: InboxRow): Promise<NotAcceptingReason | null> {
  if (!inbox.accepting_paid_dms) return 'off';
  if (inbox.paused) return 'paused';
  if (inbox.max_pending !== null) {
    const rows = await tx.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE inbox_id = $1 AND status = 'pending'`,
      [inbox.id],
    );
    if ((rows[0]?.n ?? 0) >= inbox.max_pending) return 'max_pending';
  }
  if (inbox.daily_cap !== null) {
    const startOfDay = tx.now - (tx.now % DAY_MS);
    const rows = await tx.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages WHERE inbox_id = $1 AND paid_at >= $2',
      [inbox.id, startOfDay],
    );
    if ((rows[0]?.n ?? 0) >= inbox.daily_cap) return 'daily_cap';
  }
  return null;
}

export const NOT_ACCEPTING_TEXT: Record<NotAcceptingReason, string> = {
  off: 'This creator is not taking paid messages',
  paused: 'This creator has paused new paid messages for now',
  max_pending: 'This creator has too many unanswered messages right now; try again later',
  daily_cap: 'This creator has reached today’s limit of paid messages; try again tomorrow',
};

export async function publicProfile(tx: Tx, handle: string): Promise<RouteResponse<'publicProfile'>> {
  const inbox = await findInboxByHandle(tx, handle);
  const reason = await notAcceptingReason(tx, inbox);
  const settings = toSettings(inbox);
  return {
    handle: inbox.handle,
    displayName: inbox.owner_name,
    price: settings.price,
    responseWindowMs: settings.responseWindowMs,
    tiers: tiersOf(settings),
    accepting: reason === null,
    notAcceptingReason: reason,
  };
}

/** The tiers this signed-in fan is offered: their own terms, else the public tiers. */
export async function myTerms(tx: Tx, actor: Actor, handle: string): Promise<RouteResponse<'myTerms'>> {
  requireFan(actor);
  const inbox = await findInboxByHandle(tx, handle, false, actor.id);
  const offer = offerFor(toSettings(inbox), toFanTerms(inbox));
  return { tiers: offer.tiers, personal: offer.personal };
}
