import type { ExportSink } from '../../data/earnings';

/** Chunks are folded into a Blob every so often, which the browser may keep on disk. */
const CHUNKS_PER_BLOB = 64;

/**
 * Where an export goes: a download. In a browser tab the browser files it with its
 * downloads; in the desktop app the system's save dialog asks where, and the shell records
 * that place so the app can name the file and show it in its folder (`files.downloaded`).
 */
export function downloadSink(fileName: string): ExportSink {
  let parts: BlobPart[] = [];
  let loose = 0;
  return {
    async write(chunk) {
      parts.push(chunk);
      loose += 1;
      if (loose >= CHUNKS_PER_BLOB) {
        parts = [new Blob(parts)];
        loose = 0;
      }
    },
    async close() {
      const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
      parts = [];
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.rel = 'noopener';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    async abort() {
      parts = [];
    },
  };
}
