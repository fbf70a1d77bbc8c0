import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CallOutput } from '../../../shared/contract';
import { stmt } from './statements';

export type Notice = CallOutput<'notices.list'>[number];
export type NoticeParams = Record<string, string | number | null>;

/**
 * A visible record of something the user should know (a conflict, a refusal, a repair).
 * `code` and `params` let the renderer phrase it in the user's language; `text` is the
 * English fallback for logs and for any client without the translation.
 */
export function addNotice(
  db: Database.Database,
  notice: Omit<Notice, 'id' | 'params'> & { params?: NoticeParams },
): Notice {
  const id = randomUUID();
  stmt(
    db,
    `INSERT INTO notices (id, message_id, kind, code, text, actor_name, at, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    notice.messageId,
    notice.kind,
    notice.code,
    notice.text,
    notice.actorName,
    notice.at,
    JSON.stringify(notice.params ?? {}),
  );
  return { ...notice, id, params: notice.params ?? {} };
}

export function listNotices(db: Database.Database): Notice[] {
  const rows = stmt(
    db,
    // The message's fan and amount come with each notice: a notice names who and how much.
    `SELECT n.id, n.message_id, n.kind, n.code, n.text, n.actor_name, n.at, n.params,
       m.fan_name, m.price_minor, m.currency
     FROM notices n LEFT JOIN messages m ON m.id = n.message_id
     WHERE n.dismissed = 0 ORDER BY n.at DESC, n.rowid DESC LIMIT 500`,
  ).all() as Array<{
    fan_name: string | null;
    price_minor: number | null;
    currency: string | null;
    id: string;
    message_id: string | null;
    kind: Notice['kind'];
    code: string;
    text: string;
    actor_name: string | null;
    at: number;
    params: string;
  }>;
  return rows.map((r) => ({
    id: r.id,
    messageId: r.message_id,
    kind: r.kind,
    code: r.code,
    text: r.text,
    actorName: r.actor_name,
    at: r.at,
    params: {
      ...(JSON.parse(r.params) as NoticeParams),
      ...(r.fan_name !== null ? { fanName: r.fan_name, priceMinor: r.price_minor, currency: r.currency } : {}),
    },
  }));
}

export function dismissNotice(db: Database.Database, noticeId: string): boolean {
  return stmt(db, 'UPDATE notices SET dismissed = 1 WHERE id = ? AND dismissed = 0').run(noticeId).changes > 0;
}

export function dismissAllNotices(db: Database.Database): number {
  return stmt(db, 'UPDATE notices SET dismissed = 1 WHERE dismissed = 0').run().changes;
}
