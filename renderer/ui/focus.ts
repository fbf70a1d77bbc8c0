/** Stable element ids that keyboard commands move focus between. */
export const LIST_ID = 'message-list';
export const PANE_ID = 'message-pane';
export const SEARCH_ID = 'search-input';
export const COMPOSER_ID = 'composer-input';

/** Puts focus back on the message list so the next key works (after dialogs, actions). */
export function focusList(): void {
  focusNextFrame(LIST_ID, { preventScroll: true });
}

export function focusById(id: string): void {
  focusNextFrame(id);
}

/**
 * Focuses `id` on the next frame, once React has drawn it, unless a text field took the focus
 * meanwhile: Escape then / typed at once must leave the cursor in search, however slow that
 * frame is, or the letters typed next run as commands on the list.
 */
function focusNextFrame(id: string, options?: FocusOptions): void {
  const before = document.activeElement;
  requestAnimationFrame(() => {
    const now = document.activeElement;
    if (now !== before && isTextField(now)) return;
    document.getElementById(id)?.focus(options);
  });
}

export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(target.type);
  }
  return false;
}
