import type { ExportSink } from '../../data/earnings';

interface WritableFile {
  write(data: string): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}
type SaveFilePicker = (options: {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}) => Promise<{ createWritable(): Promise<WritableFile> }>;

/**
 * Where an export goes. In the desktop app: a file the person picks in the system's save
 * dialog, written chunk by chunk (File System Access). In a browser tab: a download, as
 * people expect from a web page (and the only thing automated browsers can receive).
 * Returns null when the person closes the dialog.
 */
export async function openExportSink(fileName: string, shell: 'electron' | 'browser'): Promise<ExportSink | null> {
  const picker = (window as unknown as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
  if (shell === 'electron' && typeof picker === 'function') {
    try {
      const handle = await picker({
        suggestedName: fileName,
        types: [{ description: 'CSV', accept: { 'text/csv': ['.csv'] } }],
      });
      const file = await handle.createWritable();
      return { write: (chunk) => file.write(chunk), close: () => file.close(), abort: () => file.abort() };
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return null;
      // Not allowed here (an embedded page, a policy): fall back to a download.
    }
  }
  return downloadSink(fileName);
}

/** Chunks are folded into a Blob every so often, which the browser may keep on disk. */
const CHUNKS_PER_BLOB = 64;

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
