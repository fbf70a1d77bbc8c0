import { useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import type { PeriodSpecWire } from '../../../shared/contract';
import { getBridge } from '../../bridge';
import { runExport } from '../../data/earnings';
import { useAppInfo } from '../../data/queries';
import { isolate } from '../../i18n/format';
import { announce } from '../../ui/announce';
import { useEarningsT } from './EarningsIntl';
import { openExportSink } from './sinks';

/** Exports the period's ledger entries as CSV, streamed to a file, with a progress bar. */
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
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const appInfo = useAppInfo();
  const number = new Intl.NumberFormat(locale);

  const start = async () => {
    if (!period) return;
    setMessage(null);
    const controller = new AbortController();
    abort.current = controller;
    const bridge = getBridge();
    let rows = 0;
    let savedAs = '';
    try {
      const outcome = await runExport(
        {
          start: () => bridge.call('earnings.exportStart', { accountId, inboxId, period, timeZone }),
          next: (exportId) => bridge.call('earnings.exportNext', { accountId, exportId }),
          cancel: (exportId) => bridge.call('earnings.exportCancel', { accountId, exportId }),
        },
        (fileName) => {
          savedAs = fileName;
          return openExportSink(fileName, appInfo.data?.shell ?? 'browser');
        },
        (done, total) => {
          rows = done;
          setProgress({ done, total });
        },
        controller.signal,
      );
      const text =
        outcome === 'saved'
          ? t('earnings.export.done', { count: rows, fileName: isolate(savedAs) })
          : t('earnings.export.cancelled');
      setMessage({ tone: 'ok', text });
      announce(text);
    } catch (error) {
      setMessage({
        tone: 'error',
        text: t('earnings.export.failed', { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      abort.current = null;
      setProgress(null);
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
    </div>
  );
}
