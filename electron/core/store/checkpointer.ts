import { statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * Copies the write-ahead log back into the database file from another thread while a
 * bootstrap writes. SQLite's automatic checkpoint runs inside the COMMIT that crosses
 * 1,000 pages of log, on the thread that commits: during a bootstrap that is a pause of
 * tens of milliseconds every few chunks (copy + fsync), on the thread that answers the
 * interface. A checkpoint of its own connection on a worker thread does the same copying
 * without holding anyone up (PASSIVE: it never waits for, or blocks, a writer).
 * The bootstrap asks for one after each chunk and waits for it (without blocking) before
 * writing on: the next write then finds the log copied and starts it over, so the log
 * stays the size of a chunk instead of growing to the size of the inbox.
 *
 * The worker is a few lines of plain JavaScript (no build step: the same in Electron,
 * the browser host and the tests); it loads the same SQLite driver the store uses.
 *
 * It starts only once the log has grown past `START_AT_LOG_BYTES`: a thread costs 0.2–0.3 s
 * of CPU to start (an isolate, the driver), far more than SQLite's own checkpoints of a
 * small inbox's bootstrap, which never reach the 1,000 pages at which SQLite copies.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or gone: the next round, or the connection's own checkpoint after the bootstrap
  }
  parentPort.postMessage('done');
});
`;

/** SQLite's own default, restored when no bootstrap needs the worker any more. */
const AUTO_CHECKPOINT_PAGES = 1_000;
/**
 * A log this large is worth a thread: half of what makes SQLite checkpoint inside a COMMIT
 * (1,000 pages of 4 KiB), so the worker takes over before the first such pause. A new
 * account's database starts with about 0.5 MiB of log (its migrations); a small inbox's
 * whole bootstrap adds about as much.
 */
export const START_AT_LOG_BYTES = 2 * 2 ** 20;

export class OffThreadCheckpoints {
  private worker: Worker | null = null;
  private users = 0;
  /** A worker failed to start or died while held: the connection checkpoints itself until let go. */
  private gaveUp = false;
  /** The copy under way, shared by every caller that waits for it. */
  private copying: Promise<void> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {}

  /**
   * While held, the log is checkpointed on a worker thread once it is large enough to be
   * worth one; call the returned function to let go.
   */
  hold(): () => void {
    this.users += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users === 0) this.stop();
    };
  }

  /**
   * Copies the log back on the worker; resolves when done (at once without a worker). Callers
   * that ask while a copy is under way share it: each would have been answered by that copy's
   * reply anyway, and a manager's inboxes syncing at once would otherwise queue one copy and
   * three listeners each on the same worker.
   */
  catchUp(): Promise<void> {
    if (!this.worker && !this.gaveUp && this.users > 0 && this.logBytes() >= START_AT_LOG_BYTES) this.start();
    const worker = this.worker;
    if (!worker) return Promise.resolve();
    this.copying ??= new Promise((resolve) => {
      const done = () => {
        worker.off('message', done);
        worker.off('error', done);
        worker.off('exit', done);
        this.copying = null;
        resolve();
      };
      worker.on('message', done);
      worker.on('error', done);
      worker.on('exit', done);
      worker.postMessage('checkpoint');
    });
    return this.copying;
  }

  private logBytes(): number {
    try {
      return statSync(`${this.path}-wal`).size;
    } catch {
      return 0; // no log file (yet): nothing to copy
    }
  }

  private start(): void {
    if (!this.db.open || this.db.memory) return;
    // A namespace import: bundles that add their own `createRequire` (a banner) must not clash with ours.
    const driver = nodeModule.createRequire(import.meta.url).resolve('better-sqlite3');
    try {
      this.worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { driver, path: this.path },
      });
    } catch {
      this.gaveUp = true;
      return; // no worker: the connection keeps checkpointing itself, as before
    }
    // A worker that fails (the file gone, the driver refused) leaves checkpoints to the connection.
    this.worker.on('error', () => {
      this.gaveUp = true;
      this.worker = null;
      this.restoreAutoCheckpoint();
    });
    this.worker.unref();
    this.db.pragma('wal_autocheckpoint = 0');
  }

  private stop(): void {
    this.gaveUp = false;
    this.restoreAutoCheckpoint();
    this.worker?.postMessage('stop');
    this.worker = null;
  }

  private restoreAutoCheckpoint(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }

  /** Before the database closes (the worker's connection closes on its own thread). */
  close(): void {
    this.users = 0;
    this.stop();
  }
}
