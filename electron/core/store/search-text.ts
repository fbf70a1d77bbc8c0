/**
 * Text normalisation shared by the FTS index and the search box, so that what people
 * type finds what fans wrote. Latin diacritics are left to FTS5's unicode61 tokenizer
 * (remove_diacritics 2); Arabic needs more than that tokenizer knows:
 * - tashkeel (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) dropped;
 * - tatweel (kashida) dropped;
 * - alef with hamza/madda and alef wasla → bare alef; waw/yeh with hamza → waw/yeh;
 * - taa marbuta → heh, alef maqsura → yeh (common spelling variants at word ends);
 * - Arabic-Indic and Persian digits → ASCII digits.
 */
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;
const LETTER_VARIANTS: Record<string, string> = {
  '\u0622': '\u0627', // آ
  '\u0623': '\u0627', // أ
  '\u0625': '\u0627', // إ
  '\u0671': '\u0627', // ٱ
  '\u0624': '\u0648', // ؤ → و
  '\u0626': '\u064A', // ئ → ي
  '\u0629': '\u0647', // ة → ه
  '\u0649': '\u064A', // ى → ي
};
const VARIANT_PATTERN = /[\u0622\u0623\u0625\u0671\u0624\u0626\u0629\u0649]/g;
const EASTERN_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const HAS_ARABIC = /[\u0600-\u06FF]/;

export function normalizeSearchText(text: string): string {
  const composed = text.normalize('NFC');
  if (!HAS_ARABIC.test(composed)) return composed;
  return composed
    .replace(ARABIC_MARKS, '')
    .replace(VARIANT_PATTERN, (ch) => LETTER_VARIANTS[ch] ?? ch)
    .replace(EASTERN_DIGITS, (ch) => String((ch.charCodeAt(0) - (ch >= '\u06F0' ? 0x06f0 : 0x0660)) % 10));
}

/** Longest query we turn into terms; longer input is cut, never an error. */
const MAX_TERMS = 8;

/**
 * Builds an FTS5 MATCH expression from what someone typed: every word must match, the
 * last one as a prefix (search as you type). Each term is quoted, so FTS5 syntax in the
 * input (NEAR, quotes, column filters, *) is just text. Returns null when nothing is
 * searchable (empty or only punctuation).
 */
export function buildMatchQuery(input: string): string | null {
  const terms = normalizeSearchText(input)
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t.replaceAll('"', '""')}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
}
