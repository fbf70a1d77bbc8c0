/**
 * Cuts a byte stream of NDJSON into its lines, decoding each network read's complete lines
 * in one call. A newline byte (0x0A) never occurs inside a multi-byte UTF-8 sequence, so a
 * read is cut at its last newline and only the bytes after it wait for the next read: no
 * streaming decoder state, no growing string re-scanned per read.
 *
 * Decoded as one streaming `TextDecoder` would decode the whole stream: a byte-order mark
 * is dropped only at the very start, and invalid bytes become U+FFFD.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Bytes after the last newline seen, waiting for the rest of their line. */
  private rest: Uint8Array | null = null;
  private atStart = true;

  /** The complete, non-empty lines that `bytes` ends (with what earlier reads left). */
  push(bytes: Uint8Array): string[] {
    const last = bytes.lastIndexOf(0x0a);
    if (last < 0) {
      this.rest = this.rest ? concat(this.rest, bytes) : bytes.slice();
      return [];
    }
    const head = this.rest ? concat(this.rest, bytes.subarray(0, last)) : bytes.subarray(0, last);
    this.rest = last + 1 < bytes.length ? bytes.slice(last + 1) : null;
    return splitLines(this.text(head));
  }

  /** What followed the last newline, once the stream has ended (null if nothing). */
  end(): string | null {
    const rest = this.rest;
    this.rest = null;
    if (!rest) return null;
    const text = this.text(rest);
    return text.length > 0 ? text : null;
  }

  private text(bytes: Uint8Array): string {
    const text = this.decoder.decode(bytes);
    if (!this.atStart) return text;
    // Whatever is decoded first starts the stream (even an empty line before a newline).
    this.atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    if (nl > start) lines.push(text.slice(start, nl));
    start = nl + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}
