import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type ActionKind, SettingsInput } from '../../../shared/actions';
import type { InboxSettingsView } from '../../../shared/contract';
import {
  type InboxSettings,
  type InboxSettingsAnswer,
  type RouteBody,
  SettingsPatchBody,
} from '../../../shared/protocol';
import { CoreError } from '../errors';
import { storeSettingsAt } from '../store/apply';
import { stmt } from '../store/statements';

export type SettingsPatch = RouteBody<'updateSettings'>;

/** The outbox kind of a settings edit; its rows carry this ordering key instead of a message id. */
export const SETTINGS_ACTION = 'settings' satisfies ActionKind;
/** Keeps queued edits of one inbox in order, the way a message id keeps a message's actions in order. */
export const settingsOrderKey = (inboxId: string) => `settings:${inboxId}`;

/** The platform's default rate, used for the preview only until the inbox has a message to read the rate from. */
export const DEFAULT_FEE_BPS = 1_000;

interface QueuedEdit {
  id: string;
  payload: string;
  attempts: number;
  sending: number;
}

function queuedEdits(db: Database.Database, inboxId: string): QueuedEdit[] {
  return stmt(
    db,
    'SELECT id, payload, attempts, sending FROM outbox WHERE kind = ? AND inbox_id = ? ORDER BY position',
  ).all(SETTINGS_ACTION, inboxId) as QueuedEdit[];
}

const patchOf = (edit: QueuedEdit): SettingsPatch => SettingsInput.parse(JSON.parse(edit.payload)).patch;

export function syncedSettings(db: Database.Database, inboxId: string): InboxSettings | null {
  const data = stmt(db, 'SELECT data FROM settings WHERE inbox_id = ?').pluck().get(inboxId) as string | undefined;
  return data ? (JSON.parse(data) as InboxSettings) : null;
}

/** What the platform charged on this inbox's newest message (that came with its fee): the fee it will charge the next. */
function platformFee(db: Database.Database, inboxId: string): number | null {
  return (
    (stmt(db, 'SELECT fee_bps FROM messages WHERE inbox_id = ? AND fee_bps IS NOT NULL ORDER BY paid_at DESC LIMIT 1')
      .pluck()
      .get(inboxId) as number | undefined) ?? null
  );
}

/**
 * The synced settings with every queued edit laid over them, in order. The fee rate is an
 * earnings figure: `seesEarnings` false (a manager without view_earnings) gets none.
 */
export function settingsView(db: Database.Database, inboxId: string, seesEarnings = true): InboxSettingsView {
  const synced = syncedSettings(db, inboxId);
  const edits = queuedEdits(db, inboxId);
  const settings = synced ? (Object.assign({}, synced, ...edits.map(patchOf)) as InboxSettings) : null;
  const fee = seesEarnings ? platformFee(db, inboxId) : null;
  return {
    settings,
    pending: edits.length > 0,
    feeBps: seesEarnings ? (fee ?? DEFAULT_FEE_BPS) : null,
    feeSource: seesEarnings ? (fee === null ? 'default' : 'platform') : 'hidden',
  };
}

/**
 * The platform's own rules — the contract's patch schema, the same one the platform
 * validates with — checked first so a bad edit is refused at once and nothing is queued.
 */
function parsePatch(raw: SettingsPatch): SettingsPatch {
  const parsed = SettingsPatchBody.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? 'settings');
  throw new CoreError('invalid_input', `${field}: ${issue?.message ?? 'invalid'}`, { field });
}

/**
 * Queues a settings edit (call inside a write transaction). An edit that has not started
 * leaving is merged into the one before it; one already tried keeps its payload (its
 * idempotency key promises the platform the same body) and the new edit queues after it.
 */
export function enqueueSettings(
  db: Database.Database,
  inboxId: string,
  rawPatch: SettingsPatch,
  now: number,
): { actionId: string } {
  const patch = parsePatch(rawPatch);
  if (Object.keys(patch).length === 0) throw new CoreError('invalid_input', 'Nothing to change.');
  const current = settingsView(db, inboxId).settings;
  if (!current)
    throw new CoreError('offline', 'The settings of this inbox have not been synced yet; try again online.');
  const last = queuedEdits(db, inboxId).at(-1);
  if (last && last.attempts === 0 && last.sending === 0) {
    const merged = { ...patchOf(last), ...patch };
    stmt(db, 'UPDATE outbox SET payload = ?, send_after = ? WHERE id = ?').run(
      JSON.stringify({ kind: SETTINGS_ACTION, patch: merged }),
      now,
      last.id,
    );
    return { actionId: last.id };
  }
  const id = randomUUID();
  stmt(
    db,
    `INSERT INTO outbox (id, inbox_id, message_id, kind, payload, created_at, send_after) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    inboxId,
    settingsOrderKey(inboxId),
    SETTINGS_ACTION,
    JSON.stringify({ kind: SETTINGS_ACTION, patch }),
    now,
    now,
  );
  return { actionId: id };
}

/**
 * The platform's answer, stored at its feed position: older entries read after it leave it
 * alone, and one the feed already brought that is newer is kept. An answer without a
 * position (a replay from before positions were sent) is the truth until the feed brings
 * the same entry with its seq.
 */
export function storeSettingsAnswer(db: Database.Database, inboxId: string, answer: InboxSettingsAnswer): void {
  const { seq, ...settings } = answer;
  if (seq === undefined) {
    stmt(
      db,
      `INSERT INTO settings (inbox_id, data, seq) VALUES (?, ?, 0)
       ON CONFLICT (inbox_id) DO UPDATE SET data = excluded.data`,
    ).run(inboxId, JSON.stringify(settings));
    return;
  }
  storeSettingsAt(db, inboxId, settings, seq);
}
