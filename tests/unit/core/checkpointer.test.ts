import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../fixtures/core/store';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

const pragma = (db: ReturnType<typeof tempStore>['store']['db'], name: string) => db.pragma(name, { simple: true });

describe('checkpoints off the thread that commits', () => {
  it('copies the log on a worker while held, keeps it chunk-sized, and hands back to SQLite after', async () => {
    const t = tempStore();
    cleanup = t.cleanup;
    const { db } = t.store;
    db.exec('CREATE TABLE bulk (body TEXT)');
    const insert = db.prepare('INSERT INTO bulk (body) VALUES (?)');
    const release = t.store.checkpoints.hold();
    // No checkpoint inside a COMMIT on this thread while a bootstrap holds the worker.
    expect(pragma(db, 'wal_autocheckpoint')).toBe(0);
    for (let chunk = 0; chunk < 20; chunk++) {
      db.transaction(() => {
        for (let i = 0; i < 1_000; i++) insert.run('x'.repeat(400));
      })();
      await t.store.checkpoints.catchUp();
      // Everything written so far is in the database file: the next write starts the log over.
      const [state] = db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
      expect(state?.checkpointed).toBe(state?.log);
    }
    // About 8 MB went through; the log never held more than a chunk or two of it.
    expect(statSync(`${t.path}-wal`).size).toBeLessThan(2 * 2 ** 20);
    expect(statSync(t.path).size).toBeGreaterThan(8 * 10 ** 6);
    release();
    expect(pragma(db, 'wal_autocheckpoint')).toBe(1_000);
    // Let go twice changes nothing; holding again starts a new worker.
    release();
    const again = t.store.checkpoints.hold();
    expect(pragma(db, 'wal_autocheckpoint')).toBe(0);
    again();
  });
});
