/** Stable element ids that keyboard commands move focus between. */
export const LIST_ID = 'message-list';
export const PANE_ID = 'message-pane';
export const SEARCH_ID = 'search-input';
export const COMPOSER_ID = 'composer-input';

/** Puts focus back on the message list so the next key works (after dialogs, actions). */
export function focusList(): void {
  requestAnimationFrame(() => document.getElementById(LIST_ID)?.focus({ preventScroll: true }));
}

export function focusById(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
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
