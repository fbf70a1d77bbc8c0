import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every place that shows a person's name or text goes through the isolating component
 * (renderer/ui/SafeText.tsx): `<UntrustedInline text={…}/>`, `<UntrustedBlock text={…}/>`,
 * or `untrustedPlain(…)` where only a string fits (an <option>, a translated sentence).
 * This reads the renderer's sources and fails on any such field rendered bare as a JSX
 * child, e.g. `{row.fanName}`, which a right-to-left override in a name could reorder.
 */
const ROOT = join(__dirname, '../../../renderer');
const PERSON_TEXT =
  /(^|[^=])\{\s*[\w.?!]*\.(fanName|actorName|displayName|creatorName|deviceName|authorName|name|body)\s*\}/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

describe('renderer: person text is isolated', () => {
  it('never renders a name or a body bare as a JSX child (a static check over renderer sources)', () => {
    const files = sources(ROOT).filter((file) => !file.endsWith(join('ui', 'SafeText.tsx')));
    expect(files.length).toBeGreaterThan(20);
    const bare: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(PERSON_TEXT)) {
        const line = text.slice(0, match.index).split('\n').length;
        bare.push(`${relative(ROOT, file)}:${line}: ${match[0].trim()}`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('never puts a name bare into a translated sentence (toasts, announcements, labels): untrustedPlain first', () => {
    const files = sources(ROOT).filter((file) => !file.endsWith(join('ui', 'SafeText.tsx')));
    const bare: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // t('key', { … }) — the values handed to the sentence.
      for (const call of text.matchAll(/\bt\(\s*['`][^'`]+['`]\s*,\s*\{([^}]*)\}/g)) {
        for (const part of (call[1] ?? '').split(',')) {
          const [key, value = key] = part.split(':').map((x) => x?.trim() ?? '');
          if (!value || !/^[\w.?!]*(name|Name)$/.test(value)) continue;
          const line = text.slice(0, call.index).split('\n').length;
          bare.push(`${relative(ROOT, file)}:${line}: ${key}: ${value}`);
        }
      }
    }
    expect(bare).toEqual([]);
  });
});
