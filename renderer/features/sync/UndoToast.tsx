import { useEffect, useState } from 'react';
import { useTriage } from '../../data/useTriage';
import { useT } from '../../i18n/I18n';
import { useUi } from '../../state/ui';

/** Money actions wait a few seconds before leaving the machine; this is the way back. */
export function UndoToast() {
  const t = useT();
  const entry = useUi((s) => s.undo);
  const triage = useTriage();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!entry) return;
    const timer = setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (at >= entry.undoUntil) useUi.getState().set({ undo: null });
    }, 250);
    return () => clearInterval(timer);
  }, [entry]);
  if (!entry || now >= entry.undoUntil) return null;
  const seconds = Math.ceil((entry.undoUntil - now) / 1000);
  return (
    <div className="toast" role="status">
      <span>{entry.text ?? t(`undo.what.${entry.what}`)}</span>
      <button type="button" onClick={() => void triage.undo()}>
        {t('undo.button', { seconds })}
      </button>
    </div>
  );
}
