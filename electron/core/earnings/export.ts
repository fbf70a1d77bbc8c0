import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type Database from 'better-sqlite3';
import { csvChunks } from './csv';
import { refreshEarnings } from './fold';
import type { ResolvedPeriod } from './period';
import { exportPages, exportRowCount, openingBalances } from './queries';

export interface ExportProgress {
  rowsDone: number;
  totalRows: number;
}

/** "earnings-2026-03-01-to-2026-03-31.csv": says what is inside, safe on every file system. */
export function exportFileName(period: ResolvedPeriod): string {
  return `earnings-${period.fromDate}-to-${period.toDate}.csv`;
}

/**
 * Writes the period's CSV to a file the shell chose (Electron: a save dialog), one chunk
 * at a time: it waits for the disk when the stream's buffer is full and yields to the
 * event loop between chunks, so memory stays flat and the app stays responsive.
 */
export async function writeEarningsCsv(
  db: Database.Database,
  inboxId: string,
  period: ResolvedPeriod,
  path: string,
  onProgress?: (progress: ExportProgress) => void,
): Promise<ExportProgress> {
  await refreshEarnings(db, period.timeZone);
  const totalRows = exportRowCount(db, inboxId, period);
  const opening = openingBalances(db, inboxId, period);
  let rowsDone = 0;
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([error]) => {
    throw error;
  });
  failed.catch(() => undefined);
  try {
    for (const chunk of csvChunks(
      exportPages(db, inboxId, period),
      period.timeZone,
      (p) => {
        rowsDone = p.rowsDone;
      },
      opening,
    )) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      else await new Promise((resolve) => setImmediate(resolve));
      onProgress?.({ rowsDone, totalRows });
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return { rowsDone, totalRows };
}
