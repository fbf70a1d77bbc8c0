/**
 * The snapshot's NDJSON is cut into lines per network read (sync/line-splitter.ts). However
 * the bytes are cut into reads — inside a multi-byte character, on a newline, one byte at
 * a time — the lines must be those of the whole stream decoded at once: a byte-order mark
 * dropped only at the very start, invalid bytes as U+FFFD, empty lines skipped, and a last
 * line without a newline still given.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../electron/core/sync/line-splitter';

/** What one streaming decoder over the whole stream reads (the reference). */
function wholeStreamLines(bytes: Uint8Array): string[] {
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((line) => line.length > 0);
}

function splitInReads(bytes: Uint8Array, cuts: number[]): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    lines.push(...splitter.push(bytes.subarray(from, cut)));
    from = cut;
  }
  lines.push(...splitter.push(bytes.subarray(from)));
  const last = splitter.end();
  if (last !== null) lines.push(last);
  return lines;
}

const encode = (text: string) => new TextEncoder().encode(text);

/** Text pieces that stress the cut: multi-byte characters, BOMs, newlines, invalid bytes. */
const piece = fc.oneof(
  fc.constantFrom('\n', '\n\n', '\uFEFF', 'مرحباً', '😀', 'é', '{"a":1}', ' '),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const streamBytes = fc
  .tuple(fc.array(piece, { maxLength: 30 }), fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 3 }))
  .map(([pieces, invalid]) => {
    const text = encode(pieces.join(''));
    // Stray continuation / lead bytes somewhere in the middle: decoded as U+FFFD either way.
    const at = Math.floor(text.length / 2);
    return Uint8Array.from([...text.subarray(0, at), ...invalid, ...text.subarray(at)]);
  });

describe('LineSplitter', () => {
  it('gives the lines of the whole stream however the bytes are cut into reads', () => {
    fc.assert(
      fc.property(streamBytes, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        expect(splitInReads(bytes, cuts)).toEqual(wholeStreamLines(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('drops a byte-order mark only at the start of the stream, even when the first read is one byte', () => {
    const bytes = encode('\uFEFF{"a":1}\n\uFEFF{"b":2}\n');
    const oneByteReads = Array.from({ length: bytes.length }, (_, i) => i);
    expect(splitInReads(bytes, oneByteReads)).toEqual(['{"a":1}', '\uFEFF{"b":2}']);
    // A first line that is empty still starts the stream: a mark after it is kept.
    expect(splitInReads(encode('\n\uFEFF{"c":3}'), [1])).toEqual(['\uFEFF{"c":3}']);
  });

  it('gives a last line that has no newline, and nothing for a stream of newlines', () => {
    expect(splitInReads(encode('{"a":1}\n{"b":'), [3])).toEqual(['{"a":1}', '{"b":']);
    expect(splitInReads(encode('\n\n\n'), [1, 2])).toEqual([]);
    // A character cut at the end of the stream is U+FFFD, as the streaming decoder flushes it.
    expect(splitInReads(encode('ok\n😀').subarray(0, 5), [])).toEqual(['ok', '\uFFFD']);
  });
});

describe('LineSplitter with reused read buffers', () => {
  it('keeps a line cut between reads when the reader reuses the bytes it handed over', () => {
    const splitter = new LineSplitter();
    const read = encode('{"a":1}\n{"b":');
    expect(splitter.push(read)).toEqual(['{"a":1}']);
    // A reader that fills the same memory with its next read: the cut line must not change.
    read.fill(0x20);
    expect(splitter.push(encode('2}\n'))).toEqual(['{"b":2}']);
    const partial = encode('{"c":');
    splitter.push(partial);
    partial.fill(0x20);
    expect(splitter.push(encode('3}\n'))).toEqual(['{"c":3}']);
  });
});
