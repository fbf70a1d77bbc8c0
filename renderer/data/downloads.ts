import type { EventPayload } from '../../shared/contract';
import { getBridge } from '../bridge';

export type DownloadOutcome = EventPayload<'files.downloaded'>;

/**
 * How a download the desktop shell handed to the system's save dialog ended, as the shell
 * reports it. Start waiting before the download begins: the answer can come at once.
 */
export function waitForDownload(fileName: string): { outcome: Promise<DownloadOutcome>; stop(): void } {
  let stop = () => {};
  const outcome = new Promise<DownloadOutcome>((resolve) => {
    stop = getBridge().on('files.downloaded', (payload) => {
      if (payload.fileName !== fileName) return;
      stop();
      resolve(payload);
    });
  });
  return { outcome, stop: () => stop() };
}

/** The file's own name from a path on any platform (the person may have renamed it when saving). */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
