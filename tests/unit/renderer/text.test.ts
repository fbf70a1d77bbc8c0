import { describe, expect, it } from 'vitest';
import { BODY_PREVIEW_CHARS, bodySlice, hasDirectionalControls, singleLine } from '../../../renderer/ui/text';

describe('untrusted text', () => {
  it('removes overrides and isolates from one-line names and previews, keeping the letters', () => {
    const spoof = 'evil\u202Egnp.exe\u2066x\u2069';
    expect(hasDirectionalControls(spoof)).toBe(true);
    expect(singleLine(spoof)).toBe('evilgnp.exex');
    expect(hasDirectionalControls(singleLine(spoof))).toBe(false);
  });

  it('keeps Arabic, emoji joiners and the marks real text needs, flattening line breaks', () => {
    expect(singleLine('مرحبا\nworld')).toBe('مرحبا world');
    expect(singleLine('👩\u200D💻')).toBe('👩\u200D💻');
    expect(singleLine('a\u200Fb')).toBe('a\u200Fb');
    expect(singleLine('zero\u200Bwidth\uFEFF')).toBe('zerowidth');
  });

  it('shortens long one-line text', () => {
    expect(singleLine('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('shows a 100 KB body in a slice until asked for all of it', () => {
    const body = 'a'.repeat(100_000);
    expect(bodySlice(body, false)).toEqual({ text: body.slice(0, BODY_PREVIEW_CHARS), truncated: true });
    expect(bodySlice(body, true)).toEqual({ text: body, truncated: false });
    expect(bodySlice('short', false)).toEqual({ text: 'short', truncated: false });
  });
});
