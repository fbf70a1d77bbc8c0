import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The design tokens (renderer/ui/tokens.css) promise WCAG AA: every text colour role on
 * every background it is drawn on reaches 4.5:1, in light and in dark. This reads the
 * stylesheet itself, so a token edited below AA fails here.
 */
const css = readFileSync(join(process.cwd(), 'renderer/ui/tokens.css'), 'utf8');

function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in tokens.css`);
  const body = css.slice(start, css.indexOf('\n}', start));
  const tokens: Record<string, string> = {};
  for (const m of body.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})\s*;/gi)) tokens[m[1] as string] = m[2] as string;
  return tokens;
}

const light = block(':root');
const dark = { ...light, ...block(':root[data-theme="dark"]') };

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const SURFACES = ['canvas', 'surface', 'surface-sunken', 'surface-hover', 'row-focused', 'row-selected'];
const TEXT_ON_SURFACES = ['text', 'text-muted', 'accent', 'danger-soft-fg'];
const PAIRS: [string, string][] = [
  ...TEXT_ON_SURFACES.flatMap((fg) => SURFACES.map((bg) => [fg, bg] as [string, string])),
  ['accent-fg', 'accent'],
  ['danger-fg', 'danger'],
  ['accent-soft-fg', 'accent-soft'],
  ['danger-soft-fg', 'danger-soft'],
  ...['held', 'due', 'risk', 'captured', 'refunded', 'expired'].map(
    (state) => [`money-${state}-fg`, `money-${state}-bg`] as [string, string],
  ),
  // Money text also appears straight on surfaces (earnings figures, the at-risk amount).
  ['money-risk-fg', 'surface'],
  ['money-risk-fg', 'surface-sunken'],
  ['money-captured-fg', 'canvas'],
  ['money-due-fg', 'canvas'],
];

describe('design tokens meet WCAG AA', () => {
  it('contrast() matches known ratios (black on white is 21:1, a grey on white 4.48:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('defines every colour role in both themes', () => {
    for (const [fg, bg] of PAIRS) {
      for (const theme of [light, dark]) {
        expect(theme[fg], fg).toMatch(/^#/);
        expect(theme[bg], bg).toMatch(/^#/);
      }
    }
  });

  for (const [name, theme] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it(`every text/background pair reaches 4.5:1 in ${name}`, () => {
      const failing = PAIRS.map(([fg, bg]) => ({ fg, bg, ratio: contrast(theme[fg] ?? '', theme[bg] ?? '') }))
        .filter((p) => p.ratio < 4.5)
        .map((p) => `${p.fg} on ${p.bg}: ${p.ratio.toFixed(2)}`);
      expect(failing).toEqual([]);
    });
  }
});
