import { z } from 'zod';
import { call } from './define';

/** A file path as the desktop shell reports it (absolute, any platform's separators). */
const SavedPath = z.string().min(1).max(4096);

/**
 * Files the app saved (#12): the CSV export names its file and, where the host can, offers
 * to show it. Only Electron main answers `files.showInFolder`, and only for a path it saw a
 * download finish at in this session; other hosts refuse with `unsupported`.
 */
export const filesCalls = {
  'files.showInFolder': call(z.object({ path: SavedPath }), z.object({ ok: z.literal(true) })),
} as const;

export const filesEvents = {
  /** From the desktop shell: a download the person saved (or gave up) in the system's save dialog. */
  'files.downloaded': z.object({
    fileName: z.string().min(1).max(1024),
    state: z.enum(['completed', 'cancelled', 'interrupted']),
    /** Where it went; null unless completed. */
    path: SavedPath.nullable(),
  }),
} as const;
