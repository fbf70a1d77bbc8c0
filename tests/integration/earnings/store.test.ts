import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { computeBreakdown } from '../../../electron/core/earnings/breakdown';
import { csvChunks } from '../../../electron/core/earnings/csv';
import { foldStep, refreshEarnings } from '../../../electron/core/earnings/fold';
import { resolvePeriod } from '../../../electron/core/earnings/period';
import {
  breakdownFromStore,
  exportPages,
  exportRowCount,
  seriesFromStore,
  summaryFromStore,
} from '../../../electron/core/earnings/queries';
import { computeSeries } from '../../../electron/core/earnings/series';
import { insertLedgerEvent } from '../../../electron/core/store/apply';
import { configureConnection } from '../../../electron/core/store/db';
import { migrate } from '../../../electron/core/store/migrations';
import type { LedgerEvent } from '../../../shared/protocol';
import {
  csvEntryOf,
  type History,
  historyArb,
  instantArb,
  specArb,
  summaryOf,
  ZONES,
} from '../../unit/earnings/history';

const INBOX = 'inbox-1';
const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function freshDatabase(): Database.Database {
  const db = new Database(':memory:');
  configureConnection(db);
  migrate(db);
  opened.push(db);
  return db;
}

/** Writes what the sync would: messages, fans, labels, then ledger events in feed order. */
function insertHistory(db: Database.Database, history: History, events: LedgerEvent[]): void {
  const message = db.prepare(
    `INSERT OR IGNORE INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor,
       net_minor, status, paid_at, deadline, seq)
     VALUES (?, ?, ?, ?, 'hello', ?, ?, 0, 0, ?, 'pending', ?, ?, 1)`,
  );
  const fan = db.prepare('INSERT OR IGNORE INTO fans (inbox_id, id, display_name, seq) VALUES (?, ?, ?, 1)');
  const label = db.prepare('INSERT OR IGNORE INTO message_labels (label, message_id) VALUES (?, ?)');
  db.transaction(() => {
    for (const e of events) {
      if (e.kind === 'hold' && e.messageId && e.fanId) {
        fan.run(INBOX, e.fanId, history.fanNames.get(e.fanId) ?? '');
        message.run(
          e.messageId,
          INBOX,
          e.fanId,
          'old name',
          e.gross.currency,
          e.gross.minor,
          e.gross.minor,
          e.at,
          history.deadlines.get(e.messageId),
        );
        for (const l of history.labels.get(e.messageId) ?? []) label.run(l, e.messageId);
      }
      insertLedgerEvent(db, INBOX, e, 1);
    }
  })();
}

/** Feed order: by time, holds before what settles them. */
function feedOrder(events: LedgerEvent[]): LedgerEvent[] {
  return [...events].sort((a, b) => a.at - b.at || (a.kind === 'hold' ? -1 : b.kind === 'hold' ? 1 : 0));
}

describe('earnings from the account database equal the reference computation', () => {
  it('summary, series, breakdown and CSV, folded in two steps, for random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        historyArb,
        specArb,
        fc.constantFrom(...ZONES),
        instantArb,
        fc.nat(),
        async (history, spec, timeZone, now, split) => {
          const db = freshDatabase();
          const events = feedOrder(history.events);
          const cut = events.length === 0 ? 0 : split % (events.length + 1);
          insertHistory(db, history, events.slice(0, cut));
          await refreshEarnings(db, timeZone);
          insertHistory(db, history, events.slice(cut)); // arrives after a first fold
          // Then in tiny rowid ranges, so holds and settlements land in different ranges.
          while (foldStep(db, timeZone, 1 + (split % 5))) {}
          await refreshEarnings(db, timeZone); // a second refresh changes nothing

          const period = resolvePeriod(spec, timeZone, now);
          const reference = summaryOf(history, period, now);
          expect(summaryFromStore(db, INBOX, period, now)).toEqual(reference);
          expect(seriesFromStore(db, INBOX, period, 'week')).toEqual(computeSeries(history.events, period, 'week'));
          expect(breakdownFromStore(db, INBOX, period, 3)).toEqual(
            computeBreakdown({
              events: history.events,
              labelsOf: (id) => history.labels.get(id) ?? [],
              fanNameOf: (id) => history.fanNames.get(id),
              windowOf: (id) => history.windows.get(id),
              period,
              limit: 3,
            }),
          );
          const inPeriod = history.events.filter((e) => e.at >= period.start && e.at < period.end);
          expect(exportRowCount(db, INBOX, period)).toBe(inPeriod.length);
          const csv = [...csvChunks(exportPages(db, INBOX, period), timeZone)].join('');
          const expectedRows = events
            .filter((e) => e.at >= period.start && e.at < period.end)
            .map((e) => csvEntryOf(e, history.fanNames));
          expect(csv).toBe([...csvChunks([expectedRows], timeZone)].join(''));
          // The held totals the summary reads are folded, not counted at query time: they
          // equal the held payments among the facts, however the ranges fell.
          expect(
            db.prepare('SELECT currency, count, gross FROM earnings_held WHERE count <> 0 ORDER BY 1').all(),
          ).toEqual(
            db
              .prepare(
                `SELECT currency, count(*) AS count, sum(gross) AS gross FROM earnings_messages
                 WHERE settled_at IS NULL AND held_at IS NOT NULL GROUP BY currency ORDER BY 1`,
              )
              .all(),
          );
          db.close();
          opened.pop();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts a queued accept or refund apart, as waiting to sync, never in the figures', async () => {
    const db = freshDatabase();
    const at = Date.UTC(2026, 5, 1, 12);
    const usd = (minor: number) => ({ minor, currency: 'USD' as const });
    const history: History = {
      events: [
        {
          id: 'h1',
          kind: 'hold',
          messageId: 'm1',
          fanId: 'f1',
          actorId: null,
          gross: usd(2500),
          fee: usd(0),
          net: usd(0),
          at,
        },
        {
          id: 'h2',
          kind: 'hold',
          messageId: 'm2',
          fanId: 'f1',
          actorId: null,
          gross: usd(1000),
          fee: usd(0),
          net: usd(0),
          at,
        },
      ],
      windows: new Map([
        ['m1', 3_600_000],
        ['m2', 72 * 3_600_000],
      ]),
      deadlines: new Map([
        ['m1', at + 3_600_000],
        ['m2', at + 72 * 3_600_000],
      ]),
      labels: new Map(),
      fanNames: new Map([['f1', 'Ana']]),
    };
    insertHistory(db, history, history.events);
    db.prepare(
      `INSERT INTO outbox (id, inbox_id, message_id, kind, payload, created_at, send_after)
       VALUES ('a1', ?, 'm1', 'accept', '{}', ?, ?)`,
    ).run(INBOX, at, at);
    await refreshEarnings(db, 'UTC');
    const summary = summaryFromStore(db, INBOX, resolvePeriod({ kind: 'today' }, 'UTC', at), at);
    const usdFigures = summary.currencies[0];
    expect(usdFigures?.accepted.count).toBe(0);
    expect(usdFigures?.held).toEqual({ count: 2, amount: usd(3500) });
    expect(usdFigures?.expiringSoon).toEqual({ count: 1, amount: usd(2500) });
    expect(summary.waitingToSync).toEqual([
      { currency: 'USD', accepts: { count: 1, amount: usd(2500) }, refunds: { count: 0, amount: usd(0) } },
    ]);
  });

  it('counts a hold folded before its message arrived as expiring soon, and its settlement as no longer held', async () => {
    const db = freshDatabase();
    const at = Date.UTC(2026, 5, 1, 12);
    const hold = db.prepare(
      `INSERT INTO ledger_events (id, inbox_id, kind, message_id, fan_id, currency, gross_minor, fee_minor, net_minor,
         actor_id, at, seq) VALUES (?, ?, ?, 'm1', 'f1', 'USD', 2500, ?, ?, NULL, ?, 1)`,
    );
    hold.run('h1', INBOX, 'hold', 0, 0, at);
    await refreshEarnings(db, 'UTC'); // folded with no message, so no deadline of its own
    db.prepare(
      `INSERT INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor,
         net_minor, status, paid_at, deadline, seq)
       VALUES ('m1', ?, 'f1', 'Ana', 'hello', 'USD', 2500, 1000, 250, 2250, 'pending', ?, ?, 1)`,
    ).run(INBOX, at, at + 3_600_000);
    const today = resolvePeriod({ kind: 'today' }, 'UTC', at);
    const usd = (minor: number) => ({ minor, currency: 'USD' });
    await refreshEarnings(db, 'UTC');
    let figures = summaryFromStore(db, INBOX, today, at).currencies[0];
    expect(figures?.held).toEqual({ count: 1, amount: usd(2500) });
    expect(figures?.expiringSoon).toEqual({ count: 1, amount: usd(2500) });

    hold.run('c1', INBOX, 'capture', 250, 2250, at + 60_000);
    await refreshEarnings(db, 'UTC');
    figures = summaryFromStore(db, INBOX, today, at + 60_000).currencies[0];
    expect(figures?.held).toEqual({ count: 0, amount: usd(0) });
    expect(figures?.expiringSoon).toEqual({ count: 0, amount: usd(0) });
    expect(figures?.accepted.count).toBe(1);
  });

  it('folds a large ledger in rowid ranges, each its own short transaction', () => {
    const db = freshDatabase();
    const insert = db.prepare(
      `INSERT INTO ledger_events (id, inbox_id, kind, message_id, fan_id, currency, gross_minor, fee_minor, net_minor,
         actor_id, at, seq) VALUES (?, ?, 'capture', ?, 'f', 'USD', 100, 10, 90, NULL, ?, 1)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 2_500; i += 1) insert.run(`e${i}`, INBOX, `m${i}`, Date.UTC(2026, 0, 1) + i * 60_000);
    })();
    let steps = 0;
    while (foldStep(db, 'UTC', 1_000)) steps += 1;
    // Three ranges of facts; the last shares its step with the first range of day totals,
    // then two more of day totals, the last of which says "done".
    expect(steps).toBe(4);
    const period = resolvePeriod({ kind: 'custom', from: '2026-01-01', to: '2026-01-31' }, 'UTC', Date.UTC(2026, 0, 5));
    expect(summaryFromStore(db, INBOX, period, Date.UTC(2026, 0, 5)).currencies[0]?.accepted.net).toEqual({
      minor: 2_500 * 90,
      currency: 'USD',
    });
  });
});
