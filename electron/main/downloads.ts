import { BridgeCallError, type CallHandlers, type EventPayload } from '../../shared/contract';

type DownloadState = EventPayload<'files.downloaded'>['state'];

/** The slice of Electron's DownloadItem read here. */
export interface DownloadItemLike {
  /** The name the page suggested (the person may have saved it under another). */
  getFilename(): string;
  getSavePath(): string;
  once(event: 'done', listener: (event: unknown, state: DownloadState) => void): unknown;
}

/** The slice of Electron's Session read here. */
export interface DownloadSessionLike {
  on(event: 'will-download', listener: (event: unknown, item: DownloadItemLike) => void): unknown;
}

export interface DownloadRecorderOptions {
  session: DownloadSessionLike;
  /** Electron's shell.showItemInFolder. */
  showItemInFolder(path: string): void;
  /** Tells the page how its download ended (the bridge's `files.downloaded` event). */
  report(payload: EventPayload<'files.downloaded'>): void;
}

const NOT_SAVED_HERE =
  'This app did not save a file at that path while it has been open, so it will not open that folder.';

/**
 * Remembers where each download of this session was saved (the person picks the place in
 * the system's save dialog, so the page never knows it), and opens the file manager only
 * at one of those files: the page cannot make the app reveal any other path.
 */
export function recordDownloads(options: DownloadRecorderOptions) {
  const saved = new Set<string>();
  options.session.on('will-download', (_event, item) => {
    item.once('done', (_done, state) => {
      const path = state === 'completed' ? item.getSavePath() : '';
      if (path) saved.add(path);
      options.report({ fileName: item.getFilename(), state, path: path || null });
    });
  });

  const handlers: Pick<CallHandlers, 'files.showInFolder'> = {
    'files.showInFolder': async ({ path }) => {
      if (!saved.has(path)) throw new BridgeCallError({ code: 'not_found', message: NOT_SAVED_HERE });
      options.showItemInFolder(path);
      return { ok: true as const };
    },
  };

  return {
    /** The core's handlers, plus what only this shell can do, announced through `app.info`. */
    withFileHandlers(core: CallHandlers): CallHandlers {
      return {
        ...core,
        ...handlers,
        'app.info': async (input) => ({ ...(await core['app.info'](input)), canShowInFolder: true }),
      };
    },
  };
}
