/**
 * Untrusted text (message bodies, fan names) is rendered as React text inside a
 * `dir="auto"` isolate. Previews and names are single-line UI, so there the explicit
 * embedding/override/isolate controls are removed: inside a one-line row they could only
 * be used to make a name or preview look like something else. Bodies keep every character
 * (people may mean them) and rely on the isolate to contain them.
 */
const DIRECTIONAL_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
const INVISIBLE_FORMATTING = /[\u200b\u2060\ufeff]/g;
const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;

export function singleLine(text: string, maxLength = 200): string {
  const cleaned = text
    .replace(DIRECTIONAL_CONTROLS, '')
    .replace(INVISIBLE_FORMATTING, '')
    .replace(LINE_BREAKS, ' ')
    .trim();
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength - 1)}…` : cleaned;
}

/** Whether the text contains characters that could reorder text around them. */
export function hasDirectionalControls(text: string): boolean {
  DIRECTIONAL_CONTROLS.lastIndex = 0;
  return DIRECTIONAL_CONTROLS.test(text);
}

/** Long bodies are shown in slices so a 100 KB message never blocks a frame. */
export const BODY_PREVIEW_CHARS = 4_000;

export function bodySlice(body: string, expanded: boolean): { text: string; truncated: boolean } {
  if (expanded || body.length <= BODY_PREVIEW_CHARS) return { text: body, truncated: false };
  return { text: body.slice(0, BODY_PREVIEW_CHARS), truncated: true };
}
