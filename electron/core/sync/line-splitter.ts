/**
 * Cuts a byte stream of NDJSON into its lines. A newline byte (0x0A) never occurs inside a
 * multi-byte UTF-8 sequence, so a read is cut at its newlines and only the bytes after its
 * last one wait for the next read: no streaming decoder state, no growing string re-scanned
 * per read.
 *
 * Each line is decoded on its own, not the read as one string: a read of 128 KiB with one
 * Arabic letter in it decodes to a two-byte string, and every line cut from it is then
 * two-byte too, which V8 decodes, scans and parses about twice as slowly as the one-byte
 * strings that its ASCII lines (ledger, triage, most messages) decode to alone.
 *
 * Decoded as one streaming `TextDecoder` would decode the whole stream: a byte-order mark
 * is dropped only at the very start, and invalid bytes become U+FFFD.
 */
export class LineSplitter {
  /** Bytes after the last newline seen, waiting for the rest of their line. */
  private rest: Buffer | null = null;
  private atStart = true;

  /** The complete, non-empty lines that `bytes` ends (with what earlier reads left). */
  push(bytes: Uint8Array): string[] {
    const read = asBuffer(bytes);
    const last = read.lastIndexOf(0x0a);
    if (last < 0) {
      this.rest = this.rest ? concat(this.rest, read) : copy(read);
      return [];
    }
    const lines: string[] = [];
    let start = 0;
    if (this.rest) {
      // The line that earlier reads began ends at this read's first newline.
      const end = read.indexOf(0x0a);
      this.add(lines, concat(this.rest, read.subarray(0, end)), 0, this.rest.length + end);
      start = end + 1;
    }
    for (let nl = read.indexOf(0x0a, start); nl >= 0 && nl <= last; nl = read.indexOf(0x0a, start)) {
      this.add(lines, read, start, nl);
      start = nl + 1;
    }
    this.rest = last + 1 < read.length ? copy(read.subarray(last + 1)) : null;
    return lines;
  }

  /** What followed the last newline, once the stream has ended (null if nothing). */
  end(): string | null {
    const rest = this.rest;
    this.rest = null;
    if (!rest) return null;
    const lines: string[] = [];
    this.add(lines, rest, 0, rest.length);
    return lines[0] ?? null;
  }

  /** Decodes bytes [from, to) of `bytes` as one line, kept unless empty. */
  private add(lines: string[], bytes: Buffer, from: number, to: number): void {
    let start = from;
    if (this.atStart) {
      // Whatever is decoded first starts the stream (even an empty line before a newline).
      this.atStart = false;
      if (to - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf) start += 3;
    }
    if (to > start) lines.push(bytes.toString('utf8', start, to));
  }
}

/** The same bytes as a Buffer (no copy): its `toString` decodes a range without a subarray. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** A copy: what waits for the next read must not change with a buffer the reader reuses. */
function copy(bytes: Buffer): Buffer {
  return Buffer.from(bytes);
}

function concat(a: Uint8Array, b: Uint8Array): Buffer {
  return Buffer.concat([a, b]);
}
