import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { START_AT_LOG_BYTES } from '../../../electron/core/store/checkpointer';
import { tempStore } from '../../fixtures/core/store';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

const pragma = (db: ReturnType<typeof tempStore>['store']['db'], name: string) => db.pragma(name, { simple: true });

/** A fresh account store with a table to fill: each chunk is one transaction of 400-byte rows. */
function storeWithBulkTable() {
  const t = tempStore();
  cleanup = t.cleanup;
  const { db } = t.store;
  db.exec('CREATE TABLE bulk (body TEXT)');
  const insert = db.prepare('INSERT INTO bulk (body) VALUES (?)');
  const writeChunk = (rows: number) =>
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run('x'.repeat(400));
    })();
  return { t, db, writeChunk };
}

describe('checkpoints off the thread that commits', () => {
  it('leaves a small log to SQLite: no thread is started for a bootstrap that never needs one', async () => {
    const { t, db, writeChunk } = storeWithBulkTable();
    const release = t.store.checkpoints.hold();
    for (let chunk = 0; chunk < 3; chunk++) {
      writeChunk(100);
      await t.store.checkpoints.catchUp();
    }
    expect(statSync(`${t.path}-wal`).size).toBeLessThan(START_AT_LOG_BYTES);
    // SQLite's own checkpoint is still on: the connection was never handed to a worker.
    expect(pragma(db, 'wal_autocheckpoint')).toBe(1_000);
    release();
    expect(pragma(db, 'wal_autocheckpoint')).toBe(1_000);
  });

  it('copies the log on a worker once it grows, keeps it chunk-sized, and hands back to SQLite after', async () => {
    const { t, db, writeChunk } = storeWithBulkTable();
    const release = t.store.checkpoints.hold();
    let handedOver = false;
    for (let chunk = 0; chunk < 20; chunk++) {
      writeChunk(1_000);
      await t.store.checkpoints.catchUp();
      // Once the log passed the threshold, no checkpoint runs inside a COMMIT on this thread...
      handedOver ||= pragma(db, 'wal_autocheckpoint') === 0;
      if (!handedOver) continue;
      expect(pragma(db, 'wal_autocheckpoint')).toBe(0);
      // ...and everything written so far is in the database file: the next write starts the log over.
      const [state] = db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
      expect(state?.checkpointed).toBe(state?.log);
    }
    expect(handedOver).toBe(true);
    // About 8 MB went through; the log never held more than the threshold and a chunk or two.
    expect(statSync(`${t.path}-wal`).size).toBeLessThan(START_AT_LOG_BYTES + 2 ** 20);
    expect(statSync(t.path).size).toBeGreaterThan(8 * 10 ** 6);
    release();
    expect(pragma(db, 'wal_autocheckpoint')).toBe(1_000);
    // Let go twice changes nothing; holding again with the log already that size starts a new worker.
    release();
    const again = t.store.checkpoints.hold();
    await t.store.checkpoints.catchUp();
    expect(pragma(db, 'wal_autocheckpoint')).toBe(0);
    again();
  });
});
