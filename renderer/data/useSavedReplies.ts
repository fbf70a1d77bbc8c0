import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { useT } from '../i18n/I18n';
import { loadSavedReplies, type SavedReply, storeSavedReplies } from './savedReplies';

/** Catalog defaults take the variables as ICU arguments and get the template markers back. */
const TEMPLATE_VARIABLES = { fan: '{{fan}}', amount: '{{amount}}' };

const listeners = new Set<() => void>();
let version = 0;

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Saved replies of this device; the defaults come from the catalog in the person's language. */
export function useSavedReplies() {
  const t = useT();
  const current = useSyncExternalStore(subscribe, () => version);
  const defaults = useMemo<SavedReply[]>(
    () => [
      { id: 'thanks', title: t('saved.thanks.title'), body: t('saved.thanks.body', TEMPLATE_VARIABLES) },
      { id: 'soon', title: t('saved.soon.title'), body: t('saved.soon.body', TEMPLATE_VARIABLES) },
    ],
    [t],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `current` bumps when storage changes.
  const replies = useMemo(() => loadSavedReplies(localStorage, defaults), [defaults, current]);
  const save = useCallback((next: SavedReply[]) => {
    storeSavedReplies(localStorage, next);
    version += 1;
    for (const listener of listeners) listener();
  }, []);
  return { replies, save };
}
