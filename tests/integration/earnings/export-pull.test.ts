import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEarningsHandlers } from '../../../electron/core/earnings/service';
import { configureConnection } from '../../../electron/core/store/db';
import { migrate } from '../../../electron/core/store/migrations';
import { type ExportSink, runExport } from '../../../renderer/data/earnings';

/**
 * The renderer's export loop against the core's real export calls over a real SQLite
 * database: every chunk reaches the sink in order, progress climbs to the total, and a
 * cancel stops both sides.
 */
const INBOX = 'inbox-1';
const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function setup(entries: number) {
  const db = new Database(':memory:');
  configureConnection(db);
  migrate(db);
  opened.push(db);
  const insert = db.prepare(
    `INSERT INTO ledger_events (id, inbox_id, kind, message_id, fan_id, currency, gross_minor, fee_minor, net_minor,
       actor_id, at, seq) VALUES (?, ?, 'capture', ?, 'f1', 'USD', 2500, 250, 2250, NULL, ?, 1)`,
  );
  db.transaction(() => {
    for (let i = 0; i < entries; i += 1) insert.run(`e${i}`, INBOX, `m${i}`, Date.UTC(2026, 2, 1) + i * 1000);
  })();
  const handlers = createEarningsHandlers({
    now: () => Date.UTC(2026, 2, 15),
    access: () => ({
      db,
      membership: () => ({ role: 'owner', permissions: [] }),
      requestPayout: () => Promise.reject(new Error('not in this test')),
    }),
  });
  const source = {
    start: () =>
      handlers['earnings.exportStart']({
        accountId: 'a',
        inboxId: INBOX,
        period: { kind: 'month' },
        timeZone: 'Europe/Paris',
      }),
    next: (exportId: string) => handlers['earnings.exportNext']({ accountId: 'a', exportId }),
    cancel: (exportId: string) => handlers['earnings.exportCancel']({ accountId: 'a', exportId }),
  };
  return { handlers, source };
}

function memorySink(): ExportSink & { chunks: string[]; state: string } {
  const sink = {
    chunks: [] as string[],
    state: 'open',
    async write(chunk: string) {
      sink.chunks.push(chunk);
    },
    async close() {
      sink.state = 'closed';
    },
    async abort() {
      sink.state = 'aborted';
    },
  };
  return sink;
}

describe('pulling a CSV export through the bridge calls', () => {
  it('streams every row in chunks of at most 64 KB with progress up to the total', async () => {
    const { source } = setup(3_000);
    const sink = memorySink();
    const progress: [number, number][] = [];
    const outcome = await runExport(
      source,
      async () => sink,
      (done, total) => progress.push([done, total]),
    );
    expect(outcome).toBe('saved');
    expect(sink.state).toBe('closed');
    expect(sink.chunks.length).toBeGreaterThan(2);
    for (const chunk of sink.chunks) expect(chunk.length).toBeLessThanOrEqual(64 * 1024);
    const lines = sink.chunks.join('').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(3_001);
    // A capture adds its net to the running balance (the signed amount and balance columns, #12).
    expect(lines[1]).toBe('"e0",2026-03-01T01:00:00.000+01:00,capture,"m0","f1","",USD,25.00,2.50,22.50,22.50,22.50');
    expect(lines.at(-1)?.startsWith('"e2999",')).toBe(true);
    expect(progress.at(-1)).toEqual([3_000, 3_000]);
  });

  it('a cancel stops the export on both sides; closing the save dialog starts nothing', async () => {
    const { source, handlers } = setup(3_000);
    const sink = memorySink();
    const controller = new AbortController();
    let exportId = '';
    const outcome = await runExport(
      {
        ...source,
        start: async () => {
          const started = await source.start();
          exportId = started.exportId;
          return started;
        },
      },
      async () => sink,
      (done) => {
        if (done > 0) controller.abort();
      },
      controller.signal,
    );
    expect(outcome).toBe('cancelled');
    expect(sink.state).toBe('aborted');
    await expect(handlers['earnings.exportNext']({ accountId: 'a', exportId })).rejects.toMatchObject({
      bridgeCode: 'not_found',
    });
    expect(
      await runExport(
        source,
        async () => null,
        () => undefined,
      ),
    ).toBe('cancelled');
  });
});
