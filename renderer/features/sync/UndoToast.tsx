import { useEffect } from 'react';
import { useTriage } from '../../data/useTriage';
import { useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';
import { useSecondsLeft } from '../../ui/useNow';

/** Money actions wait a few seconds before leaving the machine; this is the way back. */
export function UndoToast() {
  const t = useT();
  const entry = useUi((s) => s.undo);
  const triage = useTriage();
  const seconds = useSecondsLeft(entry?.undoUntil ?? null);
  useEffect(() => {
    if (!entry) return;
    // Gone when its window is: the entry is dropped then, unless a newer one took its place.
    const timer = setTimeout(
      () => {
        if (useUi.getState().undo === entry) useUi.getState().set({ undo: null });
      },
      Math.max(0, entry.undoUntil - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [entry]);
  if (!entry || seconds === 0) return null;
  return (
    <div className="toast" role="status">
      <span>{entry.text ?? t(`undo.what.${entry.what}`)}</span>
      <button type="button" onClick={() => void triage.undo()}>
        {t('undo.button', { seconds })}
      </button>
    </div>
  );
}
