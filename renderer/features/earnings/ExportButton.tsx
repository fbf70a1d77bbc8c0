import { useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import type { PeriodSpecWire } from '../../../shared/contract';
import { getBridge } from '../../bridge';
import { type DownloadOutcome, fileNameOf, waitForDownload } from '../../data/downloads';
import { runExport } from '../../data/earnings';
import { useAppInfo } from '../../data/queries';
import { isolate } from '../../i18n/format';
import { announce } from '../../ui/announce';
import { useEarningsT } from './EarningsIntl';
import { downloadSink } from './sinks';

type Line = { tone: 'ok' | 'error'; text: string; shownPath?: string };

/**
 * Exports the period's ledger entries as CSV, streamed to a download, with a progress bar;
 * then names the file, and where the host can (the desktop app) offers to show it.
 */
export function ExportButton({
  accountId,
  inboxId,
  period,
  timeZone,
}: {
  accountId: string;
  inboxId: string;
  period: PeriodSpecWire | null;
  timeZone: string;
}) {
  const t = useEarningsT();
  const { locale } = useIntl();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<Line | null>(null);
  const abort = useRef<AbortController | null>(null);
  const canShowInFolder = useAppInfo().data?.canShowInFolder ?? false;
  const number = new Intl.NumberFormat(locale);

  const say = (line: Line) => {
    setMessage(line);
    announce(line.text);
  };

  const start = async () => {
    if (!period) return;
    setMessage(null);
    const controller = new AbortController();
    abort.current = controller;
    const bridge = getBridge();
    let rows = 0;
    let savedAs = '';
    // Desktop: the system's save dialog decides where (and under which name) it lands.
    const landing: { current: ReturnType<typeof waitForDownload> | null } = { current: null };
    try {
      const outcome = await runExport(
        {
          start: () => bridge.call('earnings.exportStart', { accountId, inboxId, period, timeZone }),
          next: (exportId) => bridge.call('earnings.exportNext', { accountId, exportId }),
          cancel: (exportId) => bridge.call('earnings.exportCancel', { accountId, exportId }),
        },
        async (fileName) => {
          savedAs = fileName;
          if (canShowInFolder) landing.current = waitForDownload(fileName);
          return downloadSink(fileName);
        },
        (done, total) => {
          rows = done;
          setProgress({ done, total });
        },
        controller.signal,
      );
      if (outcome === 'cancelled') {
        landing.current?.stop();
        say({ tone: 'ok', text: t('earnings.export.cancelled') });
      } else if (!landing.current) {
        const saved = t('earnings.export.done', { count: rows, fileName: isolate(savedAs) });
        say({ tone: 'ok', text: `${saved} ${t('earnings.export.inDownloads')}` });
      } else {
        setProgress(null);
        setMessage({ tone: 'ok', text: t('earnings.export.choosing', { fileName: isolate(savedAs) }) });
        say(landedLine(await landing.current.outcome, rows));
      }
    } catch (error) {
      landing.current?.stop();
      setMessage({
        tone: 'error',
        text: t('earnings.export.failed', { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  const landedLine = (landed: DownloadOutcome, rows: number): Line =>
    landed.state === 'completed' && landed.path
      ? {
          tone: 'ok',
          text: t('earnings.export.done', { count: rows, fileName: isolate(fileNameOf(landed.path)) }),
          shownPath: landed.path,
        }
      : { tone: 'ok', text: t('earnings.export.cancelled') };

  const showInFolder = async (path: string) => {
    try {
      await getBridge().call('files.showInFolder', { path });
    } catch (error) {
      say({
        tone: 'error',
        text: t('earnings.export.showFailed', { message: error instanceof Error ? error.message : String(error) }),
      });
    }
  };

  return (
    <div className="earnings-export">
      {progress ? (
        <>
          <label>
            {t('earnings.export.progress', {
              done: number.format(progress.done),
              total: number.format(progress.total),
            })}
            <progress max={Math.max(progress.total, 1)} value={progress.done} />
          </label>
          <button type="button" onClick={() => abort.current?.abort()}>
            {t('earnings.export.cancel')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => void start()} disabled={!period}>
          {t('earnings.export.button')}
        </button>
      )}
      {message && (
        <p role={message.tone === 'error' ? 'alert' : 'status'} className={`earnings-${message.tone}`}>
          {message.text}
        </p>
      )}
      {message?.shownPath && (
        <button type="button" onClick={() => void showInFolder(message.shownPath as string)}>
          {t('earnings.export.showInFolder')}
        </button>
      )}
    </div>
  );
}
